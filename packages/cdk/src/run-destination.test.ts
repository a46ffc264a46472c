import {
  type AirbyteMessage,
  type AirbyteStateMessage,
  type ConfiguredAirbyteCatalog,
  recordMessage,
  stateMessage,
  streamStateMessage,
  streamStatusTrace,
} from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { defineDestination, type WriteResult } from "./define.js";
import { type RunConnectorOptions, runConnector } from "./run-connector.js";
import { messageInput, runInProcess } from "./testing/run-in-process.js";
import { expectProtocolMessages } from "./testing/source-conformance.js";

/** Runs in-process and checks every message against the official protocol schema. */
async function runChecked(...args: Parameters<typeof runInProcess>) {
  const result = await runInProcess(...args);
  expectProtocolMessages(result);
  return result;
}

interface Config {
  deferred?: string[];
  fail_on?: number;
  fail_close?: boolean;
}

/** A destination that keeps everything in memory and records how the CDK called it. */
function memoryDestination() {
  const calls: string[] = [];
  const rows: unknown[] = [];
  const closes: { ok: boolean; completeStreams: string[] }[] = [];
  const destination = defineDestination<Config>({
    name: "destination-memory",
    version: "0.0.1",
    spec: {
      connectionSpecification: {
        type: "object",
        properties: {
          deferred: { type: "array", items: { type: "string" } },
          fail_on: { type: "integer" },
          fail_close: { type: "boolean" },
        },
      },
      supported_destination_sync_modes: ["append", "overwrite"],
    },
    async open({ config }) {
      calls.push("open");
      return {
        deferredStreams: new Set(config.deferred ?? []),
        write(records) {
          calls.push(`write ${records[0]?.stream} ${records.length}`);
          for (const r of records) {
            if (r.data.id === config.fail_on) throw new Error(`disk full at ${r.data.id}`);
            rows.push(r.data);
          }
        },
        async flush() {
          calls.push("flush");
        },
        async close(result: WriteResult) {
          calls.push(`close ${result.ok}`);
          closes.push({ ok: result.ok, completeStreams: [...result.completeStreams].sort() });
          if (config.fail_close === true) throw new Error("commit failed");
        },
      };
    },
  });
  return { destination, calls, rows, closes };
}

const catalog: ConfiguredAirbyteCatalog = {
  streams: ["users", "orders"].map((name) => ({
    stream: { name, json_schema: { type: "object" }, supported_sync_modes: ["full_refresh"] },
    sync_mode: "full_refresh",
    destination_sync_mode: "append",
  })),
};

const users = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => recordMessage("users", { id: from + i }, { emittedAt: 1 }));
const orders = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) =>
    recordMessage("orders", { id: from + i }, { emittedAt: 1 }),
  );
const userState = (cursor: number) => streamStateMessage({ name: "users" }, { cursor }, cursor);
const orderState = (cursor: number) => streamStateMessage({ name: "orders" }, { cursor }, cursor);
const complete = (name: string) => streamStatusTrace({ name }, "COMPLETE");

const write = (
  destination: ReturnType<typeof memoryDestination>["destination"],
  config: Config,
  input: AirbyteMessage[],
  batchSize = 100,
  options: RunConnectorOptions = {},
) =>
  runChecked(
    destination,
    { command: "write", config, catalog, input: messageInput(input, batchSize) },
    options,
  );

const echoed = (states: readonly AirbyteStateMessage[]) =>
  states.map((s) => [s.stream?.stream_state, s.destinationStats?.recordCount]);

describe("runConnector write", () => {
  it("writes one batch per stream per input batch and echoes the states after one flush, in order", async () => {
    const m = memoryDestination();
    const input = [
      ...users(1, 3),
      ...orders(1, 2),
      userState(3),
      ...users(4, 5),
      orderState(2),
      userState(5),
    ];
    const result = await write(m.destination, {}, [...input, complete("users"), complete("orders")]);
    expect(result.errors).toEqual([]);
    expect(m.calls).toEqual([
      "open",
      "write users 3",
      "write orders 2",
      "write users 2",
      // The input ended before the flush interval did: one flush covers all three states.
      "flush",
      "close true",
    ]);
    expect(m.closes).toEqual([{ ok: true, completeStreams: ["orders", "users"] }]);
    expect(echoed(result.states)).toEqual([
      [{ cursor: 3 }, 3],
      [{ cursor: 2 }, 2],
      [{ cursor: 5 }, 2],
    ]);
  });

  it("echoes states unchanged, unknown fields and sourceStats included", async () => {
    const m = memoryDestination();
    const state: AirbyteMessage = {
      type: "STATE",
      state: {
        type: "STREAM",
        stream: { stream_descriptor: { name: "users" }, stream_state: { cursor: 1 } },
        sourceStats: { recordCount: 1 },
        id: 7,
        committedRecordsCount: 1,
      },
      extra: "kept",
    } as AirbyteMessage;
    const result = await write(m.destination, {}, [...users(1, 1), state]);
    expect(result.messages).toEqual([
      {
        type: "STATE",
        state: {
          type: "STREAM",
          stream: { stream_descriptor: { name: "users" }, stream_state: { cursor: 1 } },
          sourceStats: { recordCount: 1 },
          destinationStats: { recordCount: 1 },
          id: 7,
          committedRecordsCount: 1,
        },
        extra: "kept",
      },
    ]);
  });

  it("counts all streams for GLOBAL and LEGACY states", async () => {
    const m = memoryDestination();
    const global = stateMessage({
      type: "GLOBAL",
      global: {
        shared_state: { lsn: 1 },
        stream_states: [{ stream_descriptor: { name: "users" }, stream_state: {} }],
      },
    });
    const legacy = stateMessage({ type: "LEGACY", data: { users: 1 } });
    const result = await write(m.destination, {}, [
      ...users(1, 2),
      ...orders(1, 3),
      global,
      ...orders(4, 4),
      legacy,
    ]);
    expect(result.states.map((s) => [s.type, s.destinationStats?.recordCount])).toEqual([
      ["GLOBAL", 5],
      ["LEGACY", 1],
    ]);
  });

  it("ignores records of streams not in the catalog, logging it once", async () => {
    const m = memoryDestination();
    const stray = [recordMessage("ghosts", { id: 1 }), recordMessage("ghosts", { id: 2 })];
    const result = await write(m.destination, {}, [...stray, ...users(1, 1), userState(1)]);
    expect(m.rows).toEqual([{ id: 1 }]);
    expect(echoed(result.states)).toEqual([[{ cursor: 1 }, 1]]);
    expect(result.logs.filter((l) => l.message.includes("ghosts"))).toHaveLength(1);
    expect(result.errors).toEqual([]);
  });

  it("holds the echoes of deferred streams until close succeeds", async () => {
    const m = memoryDestination();
    const input = [
      ...users(1, 2),
      userState(2),
      ...orders(1, 1),
      orderState(1),
      ...users(3, 3),
      userState(3),
      complete("users"),
    ];
    const batches: string[][] = [];
    for await (const batch of runConnector(m.destination, {
      command: "write",
      config: { deferred: ["users"] },
      catalog,
      input: messageInput(input, 2),
    })) {
      batches.push(
        batch.map((msg) => (msg.type === "STATE" ? `${msg.state.stream?.stream_descriptor.name}` : msg.type)),
      );
      if (batch.some((msg) => msg.type === "STATE" && msg.state.stream?.stream_descriptor.name === "users")) {
        // The users echoes may only appear once the writer has closed successfully.
        expect(m.calls.at(-1)).toBe("close true");
      }
    }
    expect(batches).toEqual([["orders"], ["users", "users"]]);
  });

  it("drops the held echoes of a deferred stream the source did not complete, and those after them", async () => {
    const m = memoryDestination();
    const result = await write(m.destination, { deferred: ["users"] }, [
      ...orders(1, 1),
      orderState(1),
      ...users(1, 2),
      userState(2),
      ...orders(2, 2),
      orderState(2),
      complete("orders"),
    ]);
    // Only users' own states wait for close; users never completed, so its state is dropped.
    expect(echoed(result.states)).toEqual([
      [{ cursor: 1 }, 1],
      [{ cursor: 2 }, 1],
    ]);
    expect(
      result.logs.some((l) => l.level === "WARN" && l.message.startsWith("1 state(s) were not confirmed")),
    ).toBe(true);
    expect(m.closes).toEqual([{ ok: true, completeStreams: ["orders"] }]);
  });

  it("drops held echoes, and reports the failure, when close fails", async () => {
    const m = memoryDestination();
    const result = await write(m.destination, { deferred: ["users"], fail_close: true }, [
      ...users(1, 2),
      userState(2),
    ]);
    expect(result.states).toEqual([]);
    expect(result.errors).toMatchObject([
      { failure_type: "system_error", message: "Closing the destination failed: commit failed" },
    ]);
    expect(m.closes).toHaveLength(1);
  });

  it("closes with ok: false and stops at a failing write; earlier echoes stand", async () => {
    const m = memoryDestination();
    const input = [...users(1, 2), userState(2), ...users(3, 5), userState(5), complete("users")];
    // Interval 0: the first batch's state is flushed and echoed before the next batch is read.
    const result = await write(m.destination, { fail_on: 4 }, input, 3, { flushIntervalMs: 0 });
    expect(echoed(result.states)).toEqual([[{ cursor: 2 }, 2]]);
    expect(m.closes).toEqual([{ ok: false, completeStreams: [] }]);
    expect(result.errors).toMatchObject([
      {
        failure_type: "system_error",
        message: "Writing records failed: disk full at 4",
        internal_message: "disk full at 4",
      },
    ]);
    expect(result.messages.at(-1)?.type).toBe("TRACE");
  });

  it("closes with ok: false and stops when aborted while waiting for input", async () => {
    const m = memoryDestination();
    const controller = new AbortController();
    async function* input(): AsyncGenerator<readonly AirbyteMessage[]> {
      yield [...users(1, 2), userState(2)];
      setTimeout(() => controller.abort(), 20);
      // The source went silent: only the abort can end this write.
      await new Promise(() => {});
    }
    const started = Date.now();
    const result = await runChecked(
      m.destination,
      { command: "write", config: {}, catalog, input: input() },
      { signal: controller.signal, flushIntervalMs: 0 },
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(echoed(result.states)).toEqual([[{ cursor: 2 }, 2]]);
    expect(m.closes).toEqual([{ ok: false, completeStreams: [] }]);
    expect(result.logs.at(-1)?.message).toContain("cancelled");
  });

  it("closes with ok: false when its consumer stops early", async () => {
    const m = memoryDestination();
    const run = runConnector(m.destination, {
      command: "write",
      config: {},
      catalog,
      input: messageInput([...users(1, 1), userState(1), ...users(2, 2), userState(2)], 2),
    });
    for await (const _batch of run) break;
    expect(m.closes).toEqual([{ ok: false, completeStreams: [] }]);
  });

  it("rejects an invalid config with a config_error TRACE and never opens", async () => {
    const m = memoryDestination();
    const result = await write(m.destination, { fail_on: "x" } as never, users(1, 1));
    expect(result.errors).toEqual([
      { message: 'The config is invalid: fail_on: must be integer, got "x"', failure_type: "config_error" },
    ]);
    expect(m.calls).toEqual([]);
  });
});
