import type { AirbyteMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import type { ConnectorRun } from "./connector-handle.js";
import { createInProcessHandle } from "./in-process-handle.js";
import { MessageQueue } from "./message-queue.js";
import { countingSource, recordingDestination } from "./test-fixtures/in-process-connectors.js";
import { usersCatalog } from "./test-fixtures/protocol-fixtures.js";

async function drain(run: ConnectorRun): Promise<AirbyteMessage[]> {
  const out: AirbyteMessage[] = [];
  for await (const batch of run.messages) out.push(...batch);
  return out;
}

describe("createInProcessHandle", () => {
  it("describes the connector and runs spec", async () => {
    const handle = createInProcessHandle(countingSource());
    expect(handle.description).toBe("built-in source-counting");
    const run = handle.run({ command: "spec" });
    const messages = await drain(run);
    expect(messages[0]?.type).toBe("SPEC");
    expect(await run.exit).toEqual({ code: 0, signal: null, stderrTail: [] });
  });

  it("exits with code 1 and the error in the tail when the runner emits a TRACE ERROR", async () => {
    const run = createInProcessHandle(countingSource()).run({
      command: "read",
      config: { count: 50, failAt: 20 },
      catalog: usersCatalog,
    });
    const messages = await drain(run);
    expect(messages.some((m) => m.type === "TRACE" && m.trace.type === "ERROR")).toBe(true);
    expect(await run.exit).toEqual({ code: 1, signal: null, stderrTail: ["the API key was revoked"] });
  });

  it("kill() aborts the runner, which winds down; the exit says it was stopped", async () => {
    const run = createInProcessHandle(countingSource()).run({
      command: "read",
      config: { chunk: 10, hangAfter: 20 },
      catalog: usersCatalog,
    });
    const iterator = run.messages[Symbol.asyncIterator]();
    let records = 0;
    while (records < 20) {
      const next = await iterator.next();
      if (next.done === true) throw new Error("ended early");
      records += next.value.filter((m) => m.type === "RECORD").length;
    }
    const pending = iterator.next();
    run.kill();
    const rest: AirbyteMessage[] = [];
    for (let next = await pending; next.done !== true; next = await iterator.next()) rest.push(...next.value);
    expect(rest.some((m) => m.type === "TRACE" && m.trace.stream_status?.status === "INCOMPLETE")).toBe(true);
    expect(await run.exit).toMatchObject({ code: null, signal: "SIGTERM" });
  });

  it("settles the exit when killed while nobody reads, and when the reader leaves early", async () => {
    const killed = createInProcessHandle(countingSource()).run({
      command: "read",
      config: {},
      catalog: usersCatalog,
    });
    killed.kill();
    expect(await killed.exit).toMatchObject({ signal: "SIGTERM" });

    const left = createInProcessHandle(countingSource()).run({
      command: "read",
      config: {},
      catalog: usersCatalog,
    });
    for await (const _ of left.messages) break;
    expect(await left.exit).toMatchObject({ code: null, signal: "SIGTERM" });
  });

  it("stops on the run's abort signal", async () => {
    const controller = new AbortController();
    const run = createInProcessHandle(countingSource()).run(
      { command: "read", config: { hangAfter: 10 }, catalog: usersCatalog },
      { signal: controller.signal },
    );
    const output = drain(run);
    setTimeout(() => controller.abort(), 20);
    await output;
    expect((await run.exit).signal).toBe("SIGTERM");
  });

  it("writes its input and echoes states", async () => {
    const input = new MessageQueue();
    const run = createInProcessHandle(recordingDestination()).run({
      command: "write",
      config: {},
      catalog: usersCatalog,
      input,
    });
    const output = drain(run);
    await input.push([
      { type: "RECORD", record: { stream: "users", data: { id: 1 }, emitted_at: 1 } },
      { type: "STATE", state: { type: "LEGACY", data: { cursor: 1 } } },
    ]);
    input.close();
    expect(await output).toEqual([
      { type: "STATE", state: { type: "LEGACY", data: { cursor: 1 }, destinationStats: { recordCount: 1 } } },
    ]);
    expect((await run.exit).code).toBe(0);
  });
});
