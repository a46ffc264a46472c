import type { AirbyteMessage, AirbyteStateMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { createInProcessHandle } from "./in-process-handle.js";
import { mergeCommittedState } from "./state-ledger.js";
import { runSync } from "./sync-driver.js";
import type { SyncOptions, SyncProgress } from "./sync-types.js";
import {
  type CountingConfig,
  countingSource,
  type DestinationProbe,
  type RecordingConfig,
  recordingDestination,
  type SourceProbe,
  tapHandle,
} from "./test-fixtures/in-process-connectors.js";
import { usersCatalog } from "./test-fixtures/protocol-fixtures.js";

const cursorState = (cursor: number): AirbyteStateMessage => ({
  type: "STREAM",
  stream: { stream_descriptor: { name: "users" }, stream_state: { cursor } },
});

function setup(sourceConfig: CountingConfig, destinationConfig: RecordingConfig = {}) {
  const sourceProbe: SourceProbe = { produced: 0, yielded: [] };
  const destinationProbe: DestinationProbe = { written: [], maxLag: 0, closed: undefined };
  const echoed: AirbyteMessage[] = [];
  const commits: (readonly AirbyteStateMessage[])[] = [];
  const options: SyncOptions = {
    source: { handle: createInProcessHandle(countingSource(sourceProbe)), config: sourceConfig },
    destination: {
      // A flush at every state, so each test knows exactly which states an echo can commit: the
      // driver's rules are under test here, not the kit's flush policy.
      handle: tapHandle(
        createInProcessHandle(recordingDestination(destinationProbe, sourceProbe), { flushIntervalMs: 0 }),
        echoed,
      ),
      config: destinationConfig,
    },
    catalog: usersCatalog,
    heartbeatTimeoutMs: 10_000,
    onStateCommitted: (state) => {
      commits.push(state);
    },
  };
  const echoedStates = () =>
    echoed.flatMap((m) => (m.type === "STATE" ? [m.state] : [])) as AirbyteStateMessage[];
  return { options, sourceProbe, destinationProbe, commits, echoedStates };
}

describe("runSync in-process", () => {
  it("moves records as objects, commits every echoed state, and reports per-stream stats", async () => {
    const t = setup({ count: 50, chunk: 10 });
    const progress: SyncProgress[] = [];
    const result = await runSync({ ...t.options, onProgress: (p) => progress.push(p) });
    expect(result.status).toBe("succeeded");
    expect(result.streams).toEqual([
      {
        name: "users",
        namespace: undefined,
        recordsEmitted: 50,
        recordsCommitted: 50,
        bytesEmitted: expect.any(Number),
        recordsFiltered: 0,
        recordsInvalid: 0,
        status: "COMPLETE",
        rowEstimate: undefined,
      },
    ]);
    // {"type":"RECORD","record":{"stream":"users","data":{"id":1},"emitted_at":…}} is ~75 characters.
    expect(result.streams[0]?.bytesEmitted).toBeGreaterThan(50 * 60);
    expect(result.streams[0]?.bytesEmitted).toBeLessThan(50 * 100);
    expect(t.commits.map((s) => s[0]?.stream?.stream_state)).toEqual(
      [10, 20, 30, 40, 50].map((cursor) => ({ cursor })),
    );
    expect(result.state).toEqual([cursorState(50)]);
    // The very objects the source yielded reach the destination: no JSON in between.
    expect(t.destinationProbe.written.map((r) => r.data)).toEqual(t.sourceProbe.yielded);
    expect(t.destinationProbe.written[7]?.data).toBe(t.sourceProbe.yielded[7]);
    expect(t.destinationProbe.closed).toEqual({ ok: true, complete: ["users"] });
    expect(progress.at(-1)?.streams[0]?.recordsCommitted).toBe(50);
    expect(result.notes).toEqual([]);
  });

  it("starts from the stored state and keeps the other streams' entries", async () => {
    const other = {
      type: "STREAM" as const,
      stream: { stream_descriptor: { name: "orders" }, stream_state: { page: 2 } },
    };
    const t = setup({ count: 30, chunk: 10 });
    const result = await runSync({ ...t.options, state: [other, cursorState(20)] });
    expect(t.destinationProbe.written.map((r) => r.data.id)).toEqual([
      21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
    ]);
    expect(result.state).toEqual([other, cursorState(30)]);
  });

  it("keeps memory bounded: a slow destination holds the source back", async () => {
    const t = setup({ count: 1_000_000, chunk: 100 }, { writeDelayMs: 5 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 400);
    const result = await runSync({ ...t.options, signal: controller.signal });
    clearTimeout(timer);
    expect(result.status).toBe("cancelled");
    // 16 batches queued, plus the batch in each hand: never the whole table.
    expect(t.destinationProbe.maxLag).toBeGreaterThan(0);
    expect(t.destinationProbe.maxLag).toBeLessThanOrEqual(20 * 100);
    expect(t.sourceProbe.produced).toBeLessThan(100_000);
  });

  it("on cancel, drains what was queued and commits exactly what the destination echoed", async () => {
    const t = setup({ chunk: 10, delayMs: 1 }, { flushDelayMs: 15 });
    const controller = new AbortController();
    const result = await runSync({
      ...t.options,
      signal: controller.signal,
      onStateCommitted: (state) => {
        t.commits.push(state);
        if (t.commits.length === 3) controller.abort();
      },
    });
    expect(result.status).toBe("cancelled");
    expect(result.failure).toEqual({
      type: "transient_error",
      origin: "platform",
      message: "cancelled by the user",
    });
    const echoed = t.echoedStates();
    const last = echoed.at(-1);
    expect(last).toBeDefined();
    expect(result.state).toEqual(mergeCommittedState([], last as AirbyteStateMessage));
    expect(t.commits).toHaveLength(echoed.length);
    // What was queued at the cancellation still reached the destination, and was committed.
    expect(echoed.length).toBeGreaterThan(3);
    // Every record the destination received is covered by the last echo, and counted as committed.
    const committed = (result.state[0]?.stream?.stream_state as { cursor: number } | undefined)?.cursor;
    expect(result.streams[0]?.recordsCommitted).toBe(committed);
    expect(t.destinationProbe.written).toHaveLength(committed ?? -1);
    // No COMPLETE was forwarded: the destination must not finalise a partial stream.
    expect(t.destinationProbe.closed).toEqual({ ok: true, complete: [] });
  });

  it("on cancel, kills a destination that does not finish in time and commits only what it echoed", async () => {
    const t = setup({ chunk: 10, delayMs: 1 }, { hangFlushAfter: 4 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const result = await runSync({ ...t.options, signal: controller.signal, cancelGraceMs: 200 });
    clearTimeout(timer);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.status).toBe("cancelled");
    expect(t.echoedStates().map((s) => s.stream?.stream_state)).toEqual(
      [10, 20, 30, 40].map((cursor) => ({ cursor })),
    );
    expect(t.commits).toHaveLength(4);
    expect(result.state).toEqual([cursorState(40)]);
    expect(result.streams[0]?.recordsCommitted).toBe(40);
    // The source sent more states than that; the destination never confirmed them.
    expect(t.destinationProbe.written.length).toBeGreaterThan(40);
    expect(result.notes.some((note) => note.includes("were not confirmed by the destination"))).toBe(true);
  });

  it("stops an endless source promptly when the destination fails", async () => {
    const t = setup({ chunk: 10 }, { failAfter: 35 });
    const started = Date.now();
    const result = await runSync(t.options);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({ type: "system_error", origin: "destination" });
    expect(result.failure?.message).toContain("disk full");
    expect(result.state).toEqual(mergeCommittedState([], t.echoedStates().at(-1) ?? cursorState(-1)));
  });

  it("reports a source's classified error and commits what came before it", async () => {
    const t = setup({ count: 100, chunk: 10, failAt: 40 });
    const result = await runSync(t.options);
    expect(result.status).toBe("failed");
    expect(result.failure).toEqual({
      type: "config_error",
      origin: "source",
      message: "the API key was revoked",
      internalMessage: "at id 40",
    });
    expect(result.state).toEqual([cursorState(30)]);
    expect(result.streams[0]?.status).toBe("INCOMPLETE");
    expect(t.destinationProbe.closed).toEqual({ ok: true, complete: [] });
  });

  it("fails a source that goes silent, within the heartbeat timeout", async () => {
    const t = setup({ chunk: 10, hangAfter: 20 });
    const started = Date.now();
    const result = await runSync({ ...t.options, heartbeatTimeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.failure).toEqual({
      type: "transient_error",
      origin: "source",
      message: "the source (built-in source-counting) sent nothing for 0.3 s",
    });
    expect(result.state).toEqual([cursorState(20)]);
  });

  it("calls onProgress at most every progressIntervalMs, and once at the end", async () => {
    const t = setup({ count: 300, chunk: 10, delayMs: 10 });
    const calls: number[] = [];
    const started = Date.now();
    const result = await runSync({
      ...t.options,
      progressIntervalMs: 100,
      onProgress: () => calls.push(Date.now()),
    });
    const duration = Date.now() - started;
    expect(result.status).toBe("succeeded");
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(duration / 100) + 1);
  });

  it("fails the sync when the committed state cannot be saved", async () => {
    const t = setup({ count: 30, chunk: 10 });
    const result = await runSync({
      ...t.options,
      onStateCommitted: () => {
        throw new Error("read-only file system");
      },
    });
    expect(result.failure).toEqual({
      type: "system_error",
      origin: "platform",
      message: "saving the committed state failed: read-only file system",
    });
  });

  it("returns at once, cancelled, when the signal is already aborted", async () => {
    const t = setup({ count: 30 });
    const result = await runSync({ ...t.options, signal: AbortSignal.abort(), state: [cursorState(3)] });
    expect(result.status).toBe("cancelled");
    expect(result.state).toEqual([cursorState(3)]);
    expect(t.sourceProbe.produced).toBe(0);
  });
});
