import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInProcess } from "@weir/cdk/testing";
import type { AirbyteStateMessage, ConfiguredAirbyteCatalog } from "@weir/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sourceJsonl } from "./source-jsonl.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-source-jsonl-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const raw = (data: Record<string, unknown>) =>
  `${JSON.stringify({ _airbyte_raw_id: "x", _airbyte_extracted_at: 1, _airbyte_meta: { changes: [] }, _airbyte_generation_id: 0, _airbyte_data: data })}\n`;

async function catalog(syncMode: "full_refresh" | "incremental"): Promise<ConfiguredAirbyteCatalog> {
  const { catalog: discovered, errors } = await runInProcess(sourceJsonl, {
    command: "discover",
    config: { path: dir },
  });
  expect(errors).toEqual([]);
  return {
    streams: (discovered?.streams ?? []).map((stream) => ({
      stream,
      sync_mode: syncMode,
      destination_sync_mode: "append",
    })),
  };
}

const read = async (syncMode: "full_refresh" | "incremental", state?: readonly AirbyteStateMessage[]) =>
  runInProcess(sourceJsonl, {
    command: "read",
    config: { path: dir },
    catalog: await catalog(syncMode),
    state: state === undefined ? undefined : [...state],
  });

const data = (result: Awaited<ReturnType<typeof read>>, stream?: string) =>
  result.records.filter((r) => stream === undefined || r.stream === stream).map((r) => r.data);

describe("source-jsonl discover", () => {
  it("finds one stream per .jsonl file, folders as namespaces, and infers each schema", async () => {
    await writeFile(join(dir, "users.jsonl"), raw({ id: 1, at: "2020-01-01T00:00:00+00:00" }));
    await writeFile(join(dir, "a%2Fb.jsonl"), '{"plain":true}\n');
    await writeFile(join(dir, ".hidden.jsonl"), raw({ id: 1 }));
    await writeFile(join(dir, "users.jsonl.weir-tmp-1-ab"), raw({ id: 1 }));
    await writeFile(join(dir, "notes.txt"), "hello");
    await mkdir(join(dir, "shop"));
    await writeFile(join(dir, "shop", "orders.jsonl"), "");
    const { catalog: found } = await runInProcess(sourceJsonl, {
      command: "discover",
      config: { path: dir },
    });
    expect(found?.streams.map((s) => [s.namespace ?? null, s.name])).toEqual([
      [null, "a/b"],
      [null, "users"],
      ["shop", "orders"],
    ]);
    const users = found?.streams.find((s) => s.name === "users");
    expect(users?.json_schema.properties).toEqual({
      id: { type: "integer" },
      at: { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
    });
    expect(users?.supported_sync_modes).toEqual(["full_refresh", "incremental"]);
  });

  it("fails check and discover for a folder that does not exist", async () => {
    const missing = join(dir, "missing");
    const check = await runInProcess(sourceJsonl, { command: "check", config: { path: missing } });
    expect(check.connectionStatus?.status).toBe("FAILED");
    const discover = await runInProcess(sourceJsonl, { command: "discover", config: { path: missing } });
    expect(discover.errors[0]?.failure_type).toBe("config_error");
  });
});

describe("source-jsonl read", () => {
  it("emits _airbyte_data of raw lines and plain objects as they are, skipping blank lines", async () => {
    await writeFile(join(dir, "mixed.jsonl"), `${raw({ id: 1 })}\n{"id":2}\r\n  \n${raw({ id: 3 })}`);
    const result = await read("full_refresh");
    expect(result.errors).toEqual([]);
    expect(data(result)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    // A full refresh keeps no cursor: one marker state at the end lets the records be committed.
    expect(result.states.map((s) => s.stream?.stream_state)).toEqual([
      { __ab_no_cursor_state_message: true },
    ]);
  });

  it("reads a large file in chunks, in order, to the last byte", async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => raw({ i, pad: "x".repeat(60) }));
    await writeFile(join(dir, "big.jsonl"), lines.join(""));
    const result = await read("incremental");
    expect(data(result).map((d) => d.i)).toEqual(lines.map((_, i) => i));
    expect(result.batches).toBeGreaterThan(3);
    const last = result.states.at(-1)?.stream?.stream_state as { byte_offset: number; line_count: number };
    expect(last.byte_offset).toBe(Buffer.byteLength(lines.join("")));
    expect(last.line_count).toBe(30_000);
  });

  it("reads only the lines appended since the state, and nothing when none were", async () => {
    const path = join(dir, "users.jsonl");
    await writeFile(path, raw({ id: 1 }) + raw({ id: "é" }));
    const first = await read("incremental");
    expect(data(first)).toEqual([{ id: 1 }, { id: "é" }]);
    const unchanged = await read("incremental", first.states);
    expect(data(unchanged)).toEqual([]);
    expect(unchanged.states.at(-1)?.stream?.stream_state).toEqual(first.states.at(-1)?.stream?.stream_state);
    await appendFile(path, raw({ id: 3 }));
    const second = await read("incremental", unchanged.states);
    expect(data(second)).toEqual([{ id: 3 }]);
    expect(second.states.at(-1)?.stream?.stream_state).toMatchObject({ line_count: 3 });
  });

  it("reads a replaced file from the start, with a warning", async () => {
    const path = join(dir, "users.jsonl");
    await writeFile(path, raw({ id: 1, v: "old" }) + raw({ id: 2, v: "old" }));
    const first = await read("incremental");
    await writeFile(path, raw({ id: 1, v: "new" }) + raw({ id: 2, v: "new" }) + raw({ id: 3, v: "new" }));
    const second = await read("incremental", first.states);
    expect(data(second).map((d) => d.v)).toEqual(["new", "new", "new"]);
    expect(second.logs.some((l) => l.level === "WARN" && l.message.includes("replaced"))).toBe(true);
  });

  it("leaves an unfinished last line for the next incremental read", async () => {
    const path = join(dir, "users.jsonl");
    await writeFile(path, `${raw({ id: 1 })}{"_airbyte_raw_id":"x","_airbyte_data":{"id":`);
    const first = await read("incremental");
    expect(data(first)).toEqual([{ id: 1 }]);
    await appendFile(path, "2}}\n");
    const second = await read("incremental", first.states);
    expect(data(second)).toEqual([{ id: 2 }]);
  });

  it("reads a last line without a final newline", async () => {
    await writeFile(join(dir, "users.jsonl"), `${raw({ id: 1 })}{"id":2}`);
    expect(data(await read("full_refresh"))).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("fails on a line that is not a JSON object, naming the line but not its content", async () => {
    await writeFile(join(dir, "users.jsonl"), `${raw({ id: 1 })}{"secret": "hunter2"\n`);
    const result = await read("full_refresh");
    expect(result.errors[0]?.failure_type).toBe("config_error");
    expect(result.errors[0]?.message).toContain("line 2");
    expect(result.errors[0]?.message).not.toContain("hunter2");
  });
});
