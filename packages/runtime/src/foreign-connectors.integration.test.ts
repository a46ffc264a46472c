import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AirbyteStateMessage, parseExactJson, type StateInput, stringifyExact } from "@weir/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { createProcessHandle } from "./process-handle.js";
import { sourceStateInput } from "./state-ledger.js";
import { runSync } from "./sync-driver.js";
import type { SyncLogEntry } from "./sync-types.js";
import { usersCatalog } from "./test-fixtures/protocol-fixtures.js";

// Foreign connectors as they really behave (issue 3): what they send must reach the destination
// and the next run unchanged, whatever JSON.parse would make of it.

const fixture = (name: string) => fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url));
const folder = mkdtempSync(join(tmpdir(), "weir-foreign-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const source = createProcessHandle({ command: [process.execPath, fixture("foreign-source.mjs")] });
const destination = createProcessHandle({
  command: [process.execPath, fixture("foreign-destination.mjs")],
});

let runs = 0;
async function sync(options: { legacy?: boolean; echo?: string; state?: StateInput | undefined }) {
  const received = join(folder, `received-${++runs}.jsonl`);
  const logs: SyncLogEntry[] = [];
  const result = await runSync({
    source: { handle: source, config: { legacy: options.legacy === true } },
    destination: { handle: destination, config: { received, echo: options.echo ?? "all" } },
    catalog: usersCatalog,
    state: options.state,
    heartbeatTimeoutMs: 10_000,
    onLog: (entry) => logs.push(entry),
  });
  const stateTextLog = logs.find((entry) => entry.origin === "source" && entry.message.includes("stateText"));
  const stateText = (JSON.parse(stateTextLog?.message ?? "{}") as { stateText?: string | null }).stateText;
  return { result, logs, stateText, received: readFileSync(received, "utf8").split("\n").filter(Boolean) };
}

describe("foreign connectors", () => {
  it("pass records, states and extra keys on byte for byte, and count streams nobody asked for", async () => {
    const { result, received, logs } = await sync({});
    expect(result.status).toBe("succeeded");
    expect(result.streams).toEqual([
      expect.objectContaining({ name: "users", recordsEmitted: 3, recordsCommitted: 3, rowEstimate: 3 }),
    ]);
    expect(received).toEqual([
      '{"type":"RECORD","record":{"stream":"users","data":{"id":1,"big":99999999999999999},"emitted_at":1732000000000.25}}',
      // The extra top-level key makes this one go through JSON.parse: the keys survive, in order.
      '{"type":"RECORD","record":{"stream":"users","data":{"id":2},"emitted_at":1732000000001},"partition_id":"p1"}',
      '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":{"cursor":99999999999999999}},"data":{"users":{"cursor":99999999999999999}}},"id":7}',
      '{"type":"RECORD","record":{"stream":"users","data":{"id":3},"emitted_at":1732000000002}}',
      '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"ghosts"},"stream_state":{"c":1}}}}',
      '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":"opaque-token-0001"}}}',
      // The source sent no STREAM_STATUS: the driver tells the destination the stream is complete.
      expect.stringMatching(
        /^\{"type":"TRACE","trace":\{"type":"STREAM_STATUS",.*"status":"COMPLETE"\}\}\}$/,
      ),
    ]);
    expect(result.notes).toContain(
      'the source sent 1 record(s) of stream "elsewhere.users", which is not in the configured catalog; they were not written',
    );
    expect(logs.some((entry) => entry.level === "WARN" && entry.message.includes("elsewhere.users"))).toBe(
      true,
    );
    // The last state wins for its stream; the opaque string is kept as it is.
    expect(stringifyExact(result.state)).toBe(
      '[{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":"opaque-token-0001"}},{"type":"STREAM","stream":{"stream_descriptor":{"name":"ghosts"},"stream_state":{"c":1}}}]',
    );
  });

  it("hands a state back to the source on the next run exactly as the source wrote it", async () => {
    const first = await sync({ echo: "last" });
    expect(first.result.status).toBe("succeeded");
    const stored = parseExactJson(stringifyExact(first.result.state)) as AirbyteStateMessage[];
    const second = await sync({ state: sourceStateInput(stored) });
    expect(second.stateText).toBe(
      '[{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":"opaque-token-0001"}},{"type":"STREAM","stream":{"stream_descriptor":{"name":"ghosts"},"stream_state":{"c":1}}}]',
    );
  });

  it("keeps big numbers of a state exact through the state file and back to the source", async () => {
    const { result } = await sync({ echo: "none" });
    expect(result.streams[0]?.recordsCommitted).toBe(0);
    expect(result.notes).toContain(
      "the destination echoed none of the 3 state(s) the source sent: nothing was committed, and the next run starts from the same state",
    );
    // Echoing only the first state commits it with the records before it, big cursor intact.
    const firstOnly = await sync({ echo: "all" });
    const committedFirst = firstOnly.received.find((line) => line.includes('"id":7'));
    expect(committedFirst).toContain('"cursor":99999999999999999');
  });

  it("returns a LEGACY state as its bare blob, byte for byte, on the next run", async () => {
    const first = await sync({ legacy: true });
    expect(first.result.status).toBe("succeeded");
    expect(first.result.streams[0]?.recordsCommitted).toBe(3);
    const fileText = stringifyExact({ state: first.result.state }, 2);
    expect(fileText).toContain('{"data":{"users":{"cursor":99999999999999999,"ratio":1.10}}}');
    const stored = (parseExactJson(fileText) as { state: AirbyteStateMessage[] }).state;
    const second = await sync({ legacy: true, state: sourceStateInput(stored) });
    expect(second.stateText).toBe('{"users":{"cursor":99999999999999999,"ratio":1.10}}');
  });

  it("hands an Airbyte connection state file to the source as it is", async () => {
    // As Airbyte's platform stores a connection's state: pretty-printed, per-stream, opaque.
    const text = `[
  {
    "type" : "STREAM",
    "stream" : {
      "stream_descriptor" : { "name" : "users", "namespace" : null },
      "stream_state" : { "cursor" : 99999999999999999, "updated_at" : "2024-05-01T00:00:00.000000Z" }
    }
  }
]`;
    const { stateText, result } = await sync({ state: parseExactJson(text) as StateInput });
    expect(stateText).toBe(text);
    expect(result.status).toBe("succeeded");
  });
});
