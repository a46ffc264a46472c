import {
  type AirbyteMessage,
  type ConfiguredAirbyteCatalog,
  recordMessage,
  streamStateMessage,
} from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { defineDestination } from "./define.js";
import { type RunConnectorOptions, runConnector } from "./run-connector.js";
import { messageInput } from "./testing/run-in-process.js";

type Batch = readonly AirbyteMessage[];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const catalog: ConfiguredAirbyteCatalog = {
  streams: [
    {
      stream: { name: "users", json_schema: { type: "object" }, supported_sync_modes: ["full_refresh"] },
      sync_mode: "full_refresh",
      destination_sync_mode: "append",
    },
  ],
};
const users = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => recordMessage("users", { id: from + i }, { emittedAt: 1 }));
// The cursor is the id of the last user before the state: its echo claims every id up to it.
const state = (cursor: number) => streamStateMessage({ name: "users" }, { cursor }, cursor);

/**
 * Runs `write` against a destination that logs, in one timeline with the run's output:
 * `write A-B` (ids), `flush`, `close ok` and, as the consumer receives them, `echo C/N` (cursor
 * and destination record count). `produce` lets an input generator add its own events.
 */
async function recordedWrite(
  input: (produce: (event: string) => void) => AsyncIterable<Batch>,
  options: RunConnectorOptions & { writeMs?: number; failOn?: number; stopAtFirstEcho?: boolean } = {},
) {
  const events: string[] = [];
  const destination = defineDestination({
    name: "destination-timeline",
    version: "0.0.1",
    spec: { connectionSpecification: { type: "object" }, supported_destination_sync_modes: ["append"] },
    async open() {
      return {
        write(records) {
          const ids = records.map((r) => r.data.id as number);
          if (ids.includes(options.failOn ?? -1)) throw new Error(`disk full at ${options.failOn}`);
          // Busy, not asleep: time passes inside the run however loaded the machine is.
          const until = performance.now() + (options.writeMs ?? 0);
          while (performance.now() < until);
          events.push(`write ${ids[0]}-${ids.at(-1)}`);
        },
        async flush() {
          events.push("flush");
        },
        async close(result) {
          events.push(`close ${result.ok}`);
        },
      };
    },
  });
  const run = runConnector(
    destination,
    { command: "write", config: {}, catalog, input: input((event) => events.push(event)) },
    options,
  );
  const outputBatches: string[][] = [];
  for await (const batch of run) {
    const echoes = batch.flatMap((m) => {
      if (m.type !== "STATE") return [];
      const cursor = (m.state.stream?.stream_state as { cursor?: number } | undefined)?.cursor;
      return [`echo ${cursor}/${m.state.destinationStats?.recordCount}`];
    });
    events.push(...echoes);
    outputBatches.push(echoes);
    if (options.stopAtFirstEcho === true && echoes.length > 0) break;
  }
  expectEchoesAfterTheirFlush(events);
  return { events, outputBatches, flushes: events.filter((e) => e === "flush").length };
}

/** The rule of the protocol: an echo comes only after a flush that followed every record it claims. */
function expectEchoesAfterTheirFlush(events: readonly string[]): void {
  let written = 0;
  let flushed = 0;
  for (const event of events) {
    const [kind, arg = ""] = event.split(" ");
    if (kind === "write") written = Number(arg.split("-")[1]);
    else if (kind === "flush") flushed = written;
    else if (kind === "echo") expect(Number(arg.split("/")[0]), event).toBeLessThanOrEqual(flushed);
  }
}

const echoes = (events: readonly string[]) => events.filter((e) => e.startsWith("echo"));

describe("write: flushing", () => {
  it("flushes once for a burst of states, echoing them in order with exact counts", async () => {
    // 60 states, 1 to 3 records before each, in batches of 25 messages.
    const input: AirbyteMessage[] = [];
    const expected: string[] = [];
    let id = 0;
    for (let s = 0; s < 60; s++) {
      const count = 1 + (s % 3);
      input.push(...users(id + 1, id + count), state(id + count));
      id += count;
      expected.push(`echo ${id}/${count}`);
    }
    const { events, flushes } = await recordedWrite(() => messageInput(input, 25));
    expect(echoes(events)).toEqual(expected);
    expect(flushes).toBe(1);
    expect(events.slice(-2)).toEqual([expected.at(-1), "close true"]);
  });

  it("with flushIntervalMs 0, flushes at every input batch that holds a state", async () => {
    const input = [...users(1, 1), state(1), ...users(2, 2), state(2), ...users(3, 3), state(3)];
    const { events } = await recordedWrite(() => messageInput(input, 2), { flushIntervalMs: 0 });
    expect(events).toEqual([
      "write 1-1",
      "flush",
      "echo 1/1",
      "write 2-2",
      "flush",
      "echo 2/1",
      "write 3-3",
      "flush",
      "echo 3/1",
      "close true",
    ]);
  });

  it("flushes when the interval has passed since the last flush", async () => {
    // Each batch takes 10 ms to write, the interval is 35 ms: about one flush per four states.
    const input: AirbyteMessage[] = [];
    for (let id = 1; id <= 12; id++) input.push(...users(id, id), state(id));
    const startedAt = performance.now();
    const { events, flushes } = await recordedWrite(() => messageInput(input, 2), {
      flushIntervalMs: 35,
      writeMs: 10,
    });
    const elapsed = performance.now() - startedAt;
    expect(echoes(events)).toEqual(Array.from({ length: 12 }, (_, i) => `echo ${i + 1}/1`));
    expect(flushes).toBeGreaterThanOrEqual(2);
    // At most one flush per interval that passed, plus the one at the end of the input: a busy
    // machine stretches the run (and allows more), a flush per state would break it either way.
    expect(flushes).toBeLessThanOrEqual(Math.floor(elapsed / 35) + 1);
    expect(flushes).toBeLessThan(12);
  });

  it("flushes when flushEveryRecords records were written since the last flush", async () => {
    const { events } = await recordedWrite(
      async function* () {
        yield [...users(1, 3), state(3)];
        yield [...users(4, 6), state(6)];
        yield [...users(7, 7), state(7)];
      },
      { flushIntervalMs: 60_000, flushEveryRecords: 5 },
    );
    expect(events).toEqual([
      "write 1-3",
      "write 4-6",
      "flush",
      "echo 3/3",
      "echo 6/3",
      "write 7-7",
      // The input ended: the last echo is flushed before close.
      "flush",
      "echo 7/1",
      "close true",
    ]);
  });

  it("echoes within the interval when the input pauses, then reads on", async () => {
    const { events, outputBatches } = await recordedWrite(
      async function* (produce) {
        yield [...users(1, 2), state(2)];
        await sleep(200);
        produce("produce 3");
        yield [...users(3, 3), state(3)];
      },
      { flushIntervalMs: 30 },
    );
    expect(events).toEqual([
      "write 1-2",
      "flush",
      "echo 2/2",
      "produce 3",
      "write 3-3",
      "flush",
      "echo 3/1",
      "close true",
    ]);
    expect(outputBatches).toEqual([["echo 2/2"], ["echo 3/1"]]);
  });

  it("never echoes the states still awaiting a flush when the run is aborted", async () => {
    const controller = new AbortController();
    const { events } = await recordedWrite(
      async function* () {
        yield [...users(1, 2), state(2)];
        setTimeout(() => controller.abort(), 20);
        await new Promise(() => {});
      },
      { signal: controller.signal, flushIntervalMs: 60_000 },
    );
    expect(events).toEqual(["write 1-2", "close false"]);
  });

  it("never echoes the states still awaiting a flush when a later write fails", async () => {
    const { events } = await recordedWrite(
      () => messageInput([...users(1, 2), state(2), ...users(3, 5)], 3),
      {
        failOn: 4,
      },
    );
    expect(events).toEqual(["write 1-2", "close false"]);
  });

  it("does not wait for a silent input when its consumer stops after an early flush", async () => {
    const started = Date.now();
    const { events } = await recordedWrite(
      async function* () {
        yield [...users(1, 1), state(1)];
        await new Promise(() => {});
      },
      { flushIntervalMs: 30, stopAtFirstEcho: true },
    );
    expect(events).toEqual(["write 1-1", "flush", "echo 1/1", "close false"]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("reports a negative flush interval as a failure of the run", async () => {
    const messages: AirbyteMessage[] = [];
    const destination = defineDestination({
      name: "destination-unused",
      version: "0.0.1",
      spec: { connectionSpecification: { type: "object" } },
      open: () => Promise.reject(new Error("must not open")),
    });
    const run = runConnector(
      destination,
      { command: "write", config: {}, catalog, input: messageInput([]) },
      { flushIntervalMs: -1 },
    );
    for await (const batch of run) messages.push(...batch);
    expect(messages).toMatchObject([
      { type: "TRACE", trace: { error: { message: expect.stringContaining("flushIntervalMs") } } },
    ]);
  });
});
