import type { AirbyteStateMessage, ConfiguredAirbyteCatalog, SyncMode } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { defineSource, type StreamDefinition } from "./define.js";
import { ConnectorError } from "./errors.js";
import { runConnector } from "./run-connector.js";
import { runInProcess, streamStatuses } from "./testing/run-in-process.js";
import { expectProtocolMessages } from "./testing/source-conformance.js";

/** Runs in-process and checks every message against the official protocol schema. */
async function runChecked(...args: Parameters<typeof runInProcess>) {
  const result = await runInProcess(...args);
  expectProtocolMessages(result);
  return result;
}

interface Config {
  count: number;
  chunk: number;
  fail_at?: number;
  fail_type?: "transient_error" | "plain";
  api_token?: string;
  hang_after?: number;
}

const numbers: StreamDefinition<Config> = {
  name: "numbers",
  jsonSchema: { type: "object", properties: { n: { type: "integer" } } },
  supportedSyncModes: ["full_refresh", "incremental"],
  sourceDefinedCursor: true,
  defaultCursorField: ["n"],
  primaryKey: [["n"]],
  estimate: ({ config, state }) => ({ rows: config.count - ((state as { cursor?: number })?.cursor ?? 0) }),
  async *read({ config, state, signal }) {
    let n = (state as { cursor?: number } | undefined)?.cursor ?? 0;
    while (n < config.count) {
      const records = [];
      for (let i = 0; i < config.chunk && n < config.count; i++) {
        n++;
        if (n === config.fail_at) {
          if (config.fail_type === "plain")
            throw new TypeError(`bad number ${n} (token ${config.api_token})`);
          throw new ConnectorError("transient_error", "The number server is busy", `503 at ${n}`);
        }
        records.push({ n });
      }
      yield { records, state: { cursor: n } };
      if (config.hang_after !== undefined && n >= config.hang_after) {
        // A stream that stops answering: only the abort signal can end the read.
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
      }
    }
  },
};

const letters: StreamDefinition<Config> = {
  name: "letters",
  namespace: "abc",
  jsonSchema: { type: "object", properties: { letter: { type: "string" } } },
  supportedSyncModes: ["full_refresh"],
  async *read() {
    yield { records: [{ letter: "a" }, { letter: "b" }] };
    yield { records: [{ letter: "c" }] };
  },
};

const source = defineSource<Config>({
  name: "source-test",
  version: "0.0.1",
  spec: {
    connectionSpecification: {
      type: "object",
      required: ["count"],
      properties: {
        count: { type: "integer", minimum: 0 },
        chunk: { type: "integer", minimum: 1, default: 5 },
        fail_at: { type: "integer" },
        fail_type: { type: "string", enum: ["transient_error", "plain"] },
        api_token: { type: "string", airbyte_secret: true },
        hang_after: { type: "integer" },
      },
    },
  },
  streams: () => [numbers, letters],
});

function catalog(...streams: [StreamDefinition<Config>, SyncMode][]): ConfiguredAirbyteCatalog {
  return {
    streams: streams.map(([s, syncMode]) => ({
      stream: {
        name: s.name,
        ...(s.namespace ? { namespace: s.namespace } : {}),
        json_schema: s.jsonSchema,
        supported_sync_modes: [...s.supportedSyncModes],
      },
      sync_mode: syncMode,
      destination_sync_mode: "append",
    })),
  };
}

const read = (
  config: Partial<Config>,
  cat: ConfiguredAirbyteCatalog,
  state?: unknown,
  checkpointEvery?: number,
) =>
  runChecked(
    source,
    { command: "read", config, catalog: cat, state: state as AirbyteStateMessage[] },
    checkpointEvery === undefined ? {} : { checkpointEvery },
  );

const cursors = (states: readonly AirbyteStateMessage[]) =>
  states.map((s) => [
    (s.stream?.stream_state as { cursor?: number } | undefined)?.cursor,
    s.sourceStats?.recordCount,
  ]);

describe("runConnector read", () => {
  it("checkpoints once checkpointEvery records have passed, and at the end of the stream", async () => {
    const result = await read({ count: 27, chunk: 5 }, catalog([numbers, "incremental"]), undefined, 10);
    expect(result.records).toHaveLength(27);
    // Chunks end at 5, 10, 15, 20, 25, 27: STATE after 10 and 20 records, then the last one.
    expect(cursors(result.states)).toEqual([
      [10, 10],
      [20, 10],
      [27, 7],
    ]);
    expect(result.states[0]).toEqual({
      type: "STREAM",
      stream: { stream_descriptor: { name: "numbers" }, stream_state: { cursor: 10 } },
      sourceStats: { recordCount: 10 },
    });
    const every = await read({ count: 12, chunk: 5 }, catalog([numbers, "incremental"]), undefined, 1);
    expect(cursors(every.states)).toEqual([
      [5, 5],
      [10, 5],
      [12, 2],
    ]);
  });

  it("uses the connector's checkpointEvery, then 1000", async () => {
    const result = await runChecked(
      { ...source, checkpointEvery: 4 },
      { command: "read", config: { count: 10, chunk: 2 }, catalog: catalog([numbers, "incremental"]) },
    );
    expect(cursors(result.states)).toEqual([
      [4, 4],
      [8, 4],
      [10, 2],
    ]);
    const byDefault = await read({ count: 2500, chunk: 300 }, catalog([numbers, "incremental"]));
    expect(cursors(byDefault.states)).toEqual([
      [1200, 1200],
      [2400, 1200],
      [2500, 100],
    ]);
  });

  it("emits statuses in order, one batch per chunk, records with one emitted_at per chunk", async () => {
    const result = await read(
      { count: 7, chunk: 3 },
      catalog([numbers, "incremental"], [letters, "full_refresh"]),
    );
    expect(streamStatuses(result)).toEqual({
      numbers: ["STARTED", "RUNNING", "COMPLETE"],
      "abc.letters": ["STARTED", "RUNNING", "COMPLETE"],
    });
    const kinds = result.messages.map((m) =>
      m.type === "TRACE" ? `${m.trace.type}:${m.trace.stream_status?.status ?? ""}` : m.type,
    );
    expect(kinds.slice(0, 4)).toEqual([
      "STREAM_STATUS:STARTED",
      "ESTIMATE:",
      "STREAM_STATUS:RUNNING",
      "RECORD",
    ]);
    expect(result.traces[1]?.estimate).toEqual({ name: "numbers", type: "STREAM", row_estimate: 7 });
    // numbers: STARTED+ESTIMATE, 3 chunks, end; letters: STARTED, 2 chunks, end.
    expect(result.batches).toBe(9);
    const letterRecords = result.records.filter((r) => r.stream === "letters");
    expect(letterRecords.map((r) => r.namespace)).toEqual(["abc", "abc", "abc"]);
    expect(result.records.find((r) => r.stream === "numbers")).not.toHaveProperty("namespace");
    expect(letterRecords[0]?.emitted_at).toBe(letterRecords[1]?.emitted_at);
    // A stream that never gave state checkpoints the no-cursor marker once, at its end, so its
    // records can be committed.
    const letterStates = result.states.filter((s) => s.stream?.stream_descriptor.name === "letters");
    expect(letterStates.map((s) => s.stream?.stream_state)).toEqual([{ __ab_no_cursor_state_message: true }]);
    expect(result.errors).toEqual([]);
  });

  it("stops at a failing stream: pending state, INCOMPLETE, then a classified TRACE ERROR", async () => {
    const cat = catalog([numbers, "incremental"], [letters, "full_refresh"]);
    const result = await read({ count: 20, chunk: 5, fail_at: 13 }, cat, undefined, 1000);
    expect(result.records).toHaveLength(10);
    expect(cursors(result.states)).toEqual([[10, 10]]);
    expect(streamStatuses(result)).toEqual({ numbers: ["STARTED", "RUNNING", "INCOMPLETE"] });
    expect(result.messages.at(-1)).toMatchObject({
      type: "TRACE",
      trace: {
        type: "ERROR",
        error: {
          message: "The number server is busy",
          internal_message: "503 at 13",
          failure_type: "transient_error",
          stream_descriptor: { name: "numbers" },
        },
      },
    });
  });

  it("reports an unexpected exception as system_error with its message and stack, secrets masked", async () => {
    const token = "tok-123456789";
    const result = await read(
      { count: 20, chunk: 5, fail_at: 3, fail_type: "plain", api_token: token },
      catalog([numbers, "full_refresh"]),
    );
    expect(result.errors).toHaveLength(1);
    const error = result.errors[0];
    expect(error?.failure_type).toBe("system_error");
    expect(error?.message).toBe('Reading stream "numbers" failed: bad number 3 (token **********)');
    expect(error?.internal_message).toBe("bad number 3 (token **********)");
    expect(error?.stack_trace).toContain("TypeError");
    expect(JSON.stringify(result.messages)).not.toContain(token);
  });

  it("rejects a configured stream the source does not have, naming it, before reading anything", async () => {
    const cat = catalog([numbers, "full_refresh"]);
    cat.streams.push({
      stream: {
        name: "__AIRBYTE__stream_that_does_not_exist",
        json_schema: {},
        supported_sync_modes: ["full_refresh"],
      },
      sync_mode: "full_refresh",
      destination_sync_mode: "append",
    });
    const result = await read({ count: 3 }, cat);
    expect(result.records).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.failure_type).toBe("config_error");
    expect(result.errors[0]?.message).toContain('"__AIRBYTE__stream_that_does_not_exist"');
    const wrongMode = await read({ count: 3 }, catalog([letters, "incremental"]));
    expect(wrongMode.errors[0]?.message).toContain('"abc.letters" does not support sync mode incremental');
  });

  it("rejects an invalid catalog and invalid state as config errors", async () => {
    const bad = await runChecked(source, {
      command: "read",
      config: { count: 1 },
      catalog: { streams: [{ stream: { name: "numbers" }, sync_mode: "INVALID" }] } as never,
    });
    expect(bad.errors[0]?.failure_type).toBe("config_error");
    expect(bad.errors[0]?.message).toMatch(/^The configured catalog is invalid: streams\.0\./);
    const badState = await read({ count: 1 }, catalog([numbers, "incremental"]), "cursor=3");
    expect(badState.errors[0]?.failure_type).toBe("config_error");
  });

  it("resumes from a bare legacy state object, as Airbyte's source-faker sample_state.json", async () => {
    const result = await read({ count: 25, chunk: 10 }, catalog([numbers, "incremental"]), {
      numbers: { cursor: 20 },
    });
    expect(result.records.map((r) => r.data.n)).toEqual([21, 22, 23, 24, 25]);
    expect(result.traces.find((t) => t.type === "ESTIMATE")?.estimate?.row_estimate).toBe(5);
  });

  it("resumes from an array of STREAM states and from GLOBAL state", async () => {
    const streamState = [
      { type: "STREAM", stream: { stream_descriptor: { name: "numbers" }, stream_state: { cursor: 22 } } },
    ];
    const result = await read({ count: 25 }, catalog([numbers, "incremental"]), streamState);
    expect(result.records.map((r) => r.data.n)).toEqual([23, 24, 25]);
    const global = [
      {
        type: "GLOBAL",
        global: { stream_states: [{ stream_descriptor: { name: "numbers" }, stream_state: { cursor: 24 } }] },
      },
    ];
    const fromGlobal = await read({ count: 25 }, catalog([numbers, "incremental"]), global);
    expect(fromGlobal.records.map((r) => r.data.n)).toEqual([25]);
  });

  it("hands back the input state of an incremental stream that found nothing new", async () => {
    const result = await read({ count: 5 }, catalog([numbers, "incremental"]), { numbers: { cursor: 5 } });
    expect(result.records).toEqual([]);
    expect(cursors(result.states)).toEqual([[5, 0]]);
    expect(streamStatuses(result)).toEqual({ numbers: ["STARTED", "COMPLETE"] });
  });

  it("reads from the start when the stored state is the no-cursor marker", async () => {
    const marker = [
      {
        type: "STREAM",
        stream: {
          stream_descriptor: { name: "numbers" },
          stream_state: { __ab_no_cursor_state_message: true },
        },
      },
    ];
    const result = await read({ count: 3 }, catalog([numbers, "incremental"]), marker);
    expect(result.records.map((r) => r.data.n)).toEqual([1, 2, 3]);
  });

  it("stops promptly when aborted, even while a stream hangs", async () => {
    const controller = new AbortController();
    const batches = [];
    const started = Date.now();
    for await (const batch of runConnector(
      source,
      {
        command: "read",
        config: { count: 100, chunk: 5, hang_after: 10 },
        catalog: catalog([numbers, "incremental"], [letters, "full_refresh"]),
      },
      { signal: controller.signal, checkpointEvery: 1000 },
    )) {
      batches.push(batch);
      if (batch.some((m) => m.type === "RECORD" && m.record.data.n === 10))
        setTimeout(() => controller.abort(), 20);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    const messages = batches.flat();
    expect(messages.filter((m) => m.type === "RECORD")).toHaveLength(10);
    const last = messages.slice(-2);
    expect(last[0]).toMatchObject({ type: "STATE", state: { stream: { stream_state: { cursor: 10 } } } });
    expect(last[1]).toMatchObject({ type: "TRACE", trace: { stream_status: { status: "INCOMPLETE" } } });
    expect(messages.some((m) => m.type === "RECORD" && m.record.stream === "letters")).toBe(false);
  });
});
