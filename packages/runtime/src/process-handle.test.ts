import { existsSync } from "node:fs";
import type { AirbyteMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import type { ConnectorRun } from "./connector-handle.js";
import { MessageQueue } from "./message-queue.js";
import { createProcessHandle } from "./process-handle.js";
import {
  fixtureDestination,
  fixtureReports,
  fixtureSource,
  processIsGone,
  usersCatalog,
} from "./test-fixtures/protocol-fixtures.js";

async function drain(run: ConnectorRun): Promise<AirbyteMessage[]> {
  const out: AirbyteMessage[] = [];
  for await (const batch of run.messages) out.push(...batch);
  return out;
}

const read = (config: Record<string, unknown>, options = {}) =>
  fixtureSource(options).run({ command: "read", config, catalog: usersCatalog });

/** Waits until the fixture has reported something matching, reading its output meanwhile. */
async function readUntil(run: ConnectorRun, found: (report: Record<string, unknown>) => boolean) {
  const seen: AirbyteMessage[] = [];
  const iterator = run.messages[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) throw new Error("the run ended first");
    seen.push(...next.value);
    const report = fixtureReports(seen).find(found);
    if (report !== undefined) return { report, seen, iterator };
  }
}

describe("createProcessHandle", () => {
  it("runs spec without files and returns the SPEC message", async () => {
    const run = fixtureSource().run({ command: "spec" });
    const messages = await drain(run);
    expect(messages).toEqual([{ type: "SPEC", spec: { connectionSpecification: { type: "object" } } }]);
    expect(await run.exit).toEqual({ code: 0, signal: null, stderrTail: [] });
  });

  it("passes private files as --config/--catalog/--state and removes them at the end", async () => {
    const state = [
      {
        type: "STREAM" as const,
        stream: { stream_descriptor: { name: "users" }, stream_state: { cursor: 4 } },
      },
    ];
    const run = fixtureSource().run({
      command: "read",
      config: { records: 3 },
      catalog: usersCatalog,
      state,
    });
    const messages = await drain(run);
    const exit = await run.exit;
    expect(exit.code).toBe(0);
    const [report] = fixtureReports(messages);
    expect(report).toMatchObject({ dirMode: "700", configMode: "600", catalogMode: "600", state });
    expect(existsSync(String(report?.dir))).toBe(false);
    expect(messages.filter((m) => m.type === "RECORD")).toHaveLength(3);
  });

  it("reports a non-zero exit with the stderr tail, and logs stderr lines as INFO", async () => {
    const run = read({ behaviour: "exit-3", records: 2 });
    const messages = await drain(run);
    const exit = await run.exit;
    expect(exit).toMatchObject({ code: 3, signal: null, stderrTail: ["something broke"] });
    expect(messages).toContainEqual({ type: "LOG", log: { level: "INFO", message: "something broke" } });
  });

  it("turns lines that are not protocol messages into INFO logs, in order", async () => {
    const run = read({ behaviour: "garbage" });
    const messages = (await drain(run)).filter((m) => m.type !== "LOG" || !m.log.message.startsWith('{"'));
    expect(messages.map((m) => (m.type === "LOG" ? m.log.message : m.type))).toEqual([
      "RECORD",
      "hello world",
      "{not json",
      "RECORD",
      "STATE",
    ]);
    expect((await run.exit).code).toBe(0);
  });

  it("fails a run with an oversized line, delivering nothing after it", async () => {
    const run = read(
      { behaviour: "huge-line", hugeBytes: 50 * 1024 * 1024 },
      { maxLineBytes: 20 * 1024 * 1024 },
    );
    const messages = await drain(run);
    const exit = await run.exit;
    expect(exit.failure?.type).toBe("system_error");
    expect(exit.failure?.message).toMatch(
      /printed a line of 5242\d{4} bytes \(50\.0 MiB\), over the limit of 20971520 bytes/,
    );
    const states = messages.filter((m) => m.type === "STATE");
    expect(states).toHaveLength(1);
  });

  it("kills the whole process group: the connector and the helpers it started", async () => {
    const run = read({ behaviour: "grandchild", records: 1 });
    const { report, seen, iterator } = await readUntil(run, (r) => typeof r.grandchild === "number");
    const pid = fixtureReports(seen).find((r) => typeof r.pid === "number")?.pid as number;
    const grandchild = report.grandchild as number;
    expect(processIsGone(pid)).toBe(false);
    expect(processIsGone(grandchild)).toBe(false);
    run.kill();
    await iterator.return?.();
    const exit = await run.exit;
    expect(exit.signal).toBe("SIGTERM");
    expect(processIsGone(pid)).toBe(true);
    expect(processIsGone(grandchild)).toBe(true);
  });

  it("leaves nothing behind when a connector exits and forgets a helper", async () => {
    const run = read({ behaviour: "grandchild-exit", records: 1 }, { killGraceMs: 200 });
    const messages = await drain(run);
    const exit = await run.exit;
    expect(exit.code).toBe(0);
    const grandchild = fixtureReports(messages).find((r) => typeof r.grandchild === "number")
      ?.grandchild as number;
    expect(processIsGone(grandchild)).toBe(true);
  });

  it("sends SIGKILL after the grace period when SIGTERM is ignored", async () => {
    const run = read({ behaviour: "ignore-sigterm", records: 1 }, { killGraceMs: 200 });
    const { report } = await readUntil(run, (r) => typeof r.pid === "number");
    // The fixture installs its handler before printing records; give it the first record.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    run.kill();
    const rest = drain(run);
    const exit = await run.exit;
    await rest;
    expect(exit.signal).toBe("SIGKILL");
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(processIsGone(report.pid as number)).toBe(true);
  });

  it("reports a missing command as a config error", async () => {
    const handle = createProcessHandle({ command: ["weir-no-such-command-xyz", "--flag"] });
    const run = handle.run({ command: "spec" });
    expect(await drain(run)).toEqual([]);
    const exit = await run.exit;
    expect(exit.failure).toEqual({
      type: "config_error",
      message: "command not found: weir-no-such-command-xyz",
    });
    expect(handle.description).toBe("weir-no-such-command-xyz --flag");
  });

  it("reports a missing working directory as a config error", async () => {
    const run = fixtureSource({ cwd: "/nonexistent/weir-dir" }).run({ command: "spec" });
    await drain(run);
    expect((await run.exit).failure?.message).toBe("working directory not found: /nonexistent/weir-dir");
  });

  it("feeds write's input with backpressure and survives a destination that dies (EPIPE)", async () => {
    const input = new MessageQueue({ maxBatches: 4 });
    const run = fixtureDestination().run({
      command: "write",
      config: { dieAfterRecords: 10 },
      catalog: usersCatalog,
      input,
    });
    const output = drain(run);
    const batch: AirbyteMessage[] = Array.from({ length: 500 }, (_, i) => ({
      type: "RECORD",
      record: { stream: "users", data: { id: i, pad: "p".repeat(200) }, emitted_at: 1 },
    }));
    let accepted = 0;
    while (await input.push(batch)) accepted++;
    await output;
    const exit = await run.exit;
    expect(exit).toMatchObject({ code: 2, stderrTail: ["destination crashed: disk full"] });
    // The handle stopped taking input once the process was gone, instead of buffering it all.
    expect(accepted).toBeLessThan(1000);
    expect(input.abandoned).toBe(true);
  });

  it("writes the input to stdin and closes it at the end", async () => {
    const input = new MessageQueue();
    const run = fixtureDestination().run({
      command: "write",
      config: { echo: "all" },
      catalog: usersCatalog,
      input,
    });
    const output = drain(run);
    await input.push([
      { type: "RECORD", record: { stream: "users", data: { id: 1 }, emitted_at: 1 } },
      { type: "STATE", state: { type: "LEGACY", data: { cursor: 1 } } },
    ]);
    input.close();
    const messages = await output;
    expect((await run.exit).code).toBe(0);
    expect(messages[0]).toEqual({
      type: "STATE",
      state: { type: "LEGACY", data: { cursor: 1 }, destinationStats: { recordCount: 1 } },
    });
    expect(fixtureReports(messages)).toContainEqual({ received: 1, statuses: [] });
    expect(input.consumedToEnd).toBe(true);
  });

  it("never starts a run killed before its process was spawned", async () => {
    const controller = new AbortController();
    controller.abort();
    const run = fixtureSource().run({ command: "spec" }, { signal: controller.signal });
    expect(await drain(run)).toEqual([]);
    expect(await run.exit).toMatchObject({ code: null, signal: "SIGTERM" });
  });
});
