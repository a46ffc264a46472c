import { existsSync } from "node:fs";
import type { AirbyteStateMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { createProcessHandle } from "./process-handle.js";
import { runSync } from "./sync-driver.js";
import type { SyncLogEntry, SyncOptions } from "./sync-types.js";
import {
  fixtureDestination,
  fixtureSource,
  processIsGone,
  usersCatalog,
} from "./test-fixtures/protocol-fixtures.js";

const cursorState = (cursor: number): AirbyteStateMessage => ({
  type: "STREAM",
  stream: { stream_descriptor: { name: "users" }, stream_state: { cursor } },
});

/** Runs a sync between the fixture processes, collecting logs and commits. */
async function sync(
  sourceConfig: Record<string, unknown>,
  destinationConfig: Record<string, unknown>,
  options: Partial<SyncOptions> = {},
) {
  const logs: SyncLogEntry[] = [];
  const commits: (readonly AirbyteStateMessage[])[] = [];
  const result = await runSync({
    source: { handle: fixtureSource(), config: sourceConfig },
    destination: { handle: fixtureDestination(), config: destinationConfig },
    catalog: usersCatalog,
    heartbeatTimeoutMs: 10_000,
    onLog: (entry) => logs.push(entry),
    onStateCommitted: (state) => {
      commits.push(state);
    },
    ...options,
  });
  const reports: Record<string, unknown>[] = [];
  for (const entry of logs) {
    if (entry.origin === "platform" || !entry.message.startsWith("{")) continue;
    try {
      reports.push(JSON.parse(entry.message) as Record<string, unknown>);
    } catch {
      // a garbage line the fixture printed on purpose
    }
  }
  return { result, logs, commits, reports };
}

describe("runSync between processes", () => {
  it("moves records, commits each echoed state in order, and marks silent streams COMPLETE", async () => {
    const { result, commits, reports } = await sync({ records: 12, stateEvery: 5 }, { echo: "all" });
    expect(result.status).toBe("succeeded");
    expect(result.failure).toBeUndefined();
    expect(result.streams).toEqual([
      {
        name: "users",
        namespace: undefined,
        recordsEmitted: 12,
        recordsCommitted: 10,
        bytesEmitted: expect.any(Number),
        recordsFiltered: 0,
        recordsInvalid: 0,
        status: "COMPLETE",
        rowEstimate: undefined,
      },
    ]);
    // Each record line is about 70 characters: the count is the lines' real size.
    expect(result.streams[0]?.bytesEmitted).toBeGreaterThan(12 * 50);
    expect(commits).toEqual([[cursorState(5)], [cursorState(10)]]);
    expect(result.state).toEqual([cursorState(10)]);
    expect(result.notes).toEqual([]);
    // The destination got every record and the synthesised COMPLETE before its input ended.
    expect(reports).toContainEqual({ received: 12, statuses: ["users:COMPLETE"] });
    // The source's run directory is gone.
    const dir = reports.find((r) => typeof r.dir === "string")?.dir as string;
    expect(existsSync(dir)).toBe(false);
  });

  it("commits every pending state at once when the destination echoes only the last", async () => {
    const { result, commits } = await sync({ records: 15, stateEvery: 5 }, { echo: "last" });
    expect(result.status).toBe("succeeded");
    expect(commits).toEqual([[cursorState(15)]]);
    expect(result.streams[0]?.recordsCommitted).toBe(15);
  });

  it("commits nothing when the destination echoes nothing, and says so", async () => {
    const stored = [cursorState(0)];
    const { result, commits } = await sync({ records: 10 }, { echo: "none" }, { state: stored });
    expect(result.status).toBe("succeeded");
    expect(commits).toEqual([]);
    expect(result.state).toEqual(stored);
    expect(result.streams[0]?.recordsCommitted).toBe(0);
    expect(result.notes).toContain(
      "the destination echoed none of the 2 state(s) the source sent: nothing was committed, and the next run starts from the same state",
    );
  });

  it("classifies a source exit without a trace, and still commits what the destination confirmed", async () => {
    const { result } = await sync({ behaviour: "exit-3", records: 10 }, { echo: "all" });
    expect(result.status).toBe("failed");
    expect(result.failure).toEqual({
      type: "system_error",
      origin: "source",
      message: "source-fixture exited with code 3: something broke",
      internalMessage: "something broke",
    });
    expect(result.state).toEqual([cursorState(10)]);
    expect(result.streams[0]?.status).toBeUndefined();
  });

  it("quotes the error of a source that crashes mid-stream", async () => {
    const { result, reports } = await sync({ behaviour: "crash-mid", records: 7 }, { echo: "all" });
    expect(result.failure?.type).toBe("system_error");
    expect(result.failure?.message).toMatch(/^source-fixture exited with code 1: .*Error: kaboom/s);
    // No COMPLETE for a source that failed: a destination must not swap in half a table.
    expect(reports).toContainEqual({ received: 7, statuses: [] });
    expect(result.state).toEqual([cursorState(5)]);
  });

  it("lets a trace error's failure type win over the exit code", async () => {
    const { result } = await sync({ behaviour: "trace-error", records: 5 }, { echo: "all" });
    expect(result.failure).toEqual({
      type: "config_error",
      origin: "source",
      message: "bad api key",
      internalMessage: "401",
    });
    expect(result.state).toEqual([cursorState(5)]);
  });

  it("logs garbage lines and goes on", async () => {
    const { result, logs } = await sync({ behaviour: "garbage" }, { echo: "all" });
    expect(result.status).toBe("succeeded");
    expect(logs).toContainEqual(
      expect.objectContaining({ origin: "source", level: "INFO", message: "hello world" }),
    );
    expect(result.streams[0]?.recordsCommitted).toBe(2);
  });

  it("fails on an oversized line and commits nothing after it", async () => {
    const handle = fixtureSource({ maxLineBytes: 1024 * 1024 });
    const { result } = await sync(
      { behaviour: "huge-line", hugeBytes: 3 * 1024 * 1024 },
      { echo: "all" },
      {
        source: { handle, config: { behaviour: "huge-line", hugeBytes: 3 * 1024 * 1024 } },
      },
    );
    expect(result.status).toBe("failed");
    expect(result.failure?.type).toBe("system_error");
    expect(result.failure?.message).toContain("over the limit of 1048576 bytes (1.0 MiB)");
    expect(result.state).toEqual([cursorState(1)]);
  });

  it("fails a silent source on the heartbeat, kills it, and keeps what was committed", async () => {
    const started = Date.now();
    const { result, reports } = await sync(
      { behaviour: "hang", records: 5 },
      { echo: "all" },
      { heartbeatTimeoutMs: 400 },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.failure).toEqual({
      type: "transient_error",
      origin: "source",
      message: "the source (source-fixture) sent nothing for 0.4 s",
    });
    expect(result.state).toEqual([cursorState(5)]);
    expect(processIsGone(reports.find((r) => typeof r.pid === "number")?.pid as number)).toBe(true);
  });

  it("stops the source promptly when the destination dies, and commits only what it echoed", async () => {
    const started = Date.now();
    const { result, reports } = await sync(
      { behaviour: "grandchild", records: 200, stateEvery: 10 },
      { echo: "all", dieAfterRecords: 25 },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({
      type: "system_error",
      origin: "destination",
      message: "destination-fixture exited with code 2: destination crashed: disk full",
    });
    expect(result.state).toEqual([cursorState(20)]);
    expect(result.streams[0]?.recordsCommitted).toBe(20);
    for (const report of reports) {
      for (const pid of [report.pid, report.grandchild]) {
        if (typeof pid === "number") expect(processIsGone(pid)).toBe(true);
      }
    }
  });

  it("fails a destination that exits cleanly without reading its input, and stops the source", async () => {
    const quitter = createProcessHandle({
      command: [process.execPath, "-e", ""],
      description: "destination-quitter",
    });
    const { result, reports } = await sync(
      { behaviour: "hang", records: 20_000 },
      {},
      {
        destination: { handle: quitter, config: {} },
      },
    );
    expect(result.failure).toEqual({
      type: "system_error",
      origin: "destination",
      message: "destination-quitter exited before reading all of its input",
    });
    expect(result.state).toEqual([]);
    expect(processIsGone(reports.find((r) => typeof r.pid === "number")?.pid as number)).toBe(true);
  });

  it("reports a source command that does not exist as a config error", async () => {
    const { result } = await sync(
      {},
      { echo: "all" },
      {
        source: { handle: createProcessHandle({ command: ["weir-missing-source"] }), config: {} },
      },
    );
    expect(result.failure).toEqual({
      type: "config_error",
      origin: "source",
      message: "command not found: weir-missing-source",
    });
  });

  it("drops records of streams that are not configured, once logged and noted", async () => {
    const { result, logs, reports } = await sync(
      { behaviour: "unknown-stream", records: 5 },
      { echo: "all" },
    );
    expect(result.status).toBe("succeeded");
    expect(reports).toContainEqual({ received: 5, statuses: ["users:COMPLETE"] });
    expect(logs.filter((l) => l.message.includes('"ghosts"'))).toHaveLength(1);
    expect(result.notes).toContain(
      'the source sent 2 record(s) of stream "ghosts", which is not in the configured catalog; they were not written',
    );
  });

  it("logs a CONTROL message without its config", async () => {
    const { result, logs } = await sync({ behaviour: "control", records: 5 }, { echo: "all" });
    expect(result.status).toBe("succeeded");
    expect(logs.some((l) => l.message.includes("CONTROL") && l.message.includes("not persist"))).toBe(true);
    expect(logs.some((l) => l.message.includes("s3cr3t"))).toBe(false);
  });

  it("hands the stored state to the source and merges commits into it", async () => {
    const other: AirbyteStateMessage = {
      type: "STREAM",
      stream: { stream_descriptor: { name: "orders" }, stream_state: { page: 3 } },
    };
    const { result, reports } = await sync(
      { records: 5 },
      { echo: "all" },
      { state: [other, cursorState(1)] },
    );
    expect(reports.find((r) => "state" in r)?.state).toEqual([other, cursorState(1)]);
    expect(result.state).toEqual([other, cursorState(5)]);
  });
});
