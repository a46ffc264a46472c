import type { AirbyteMessage, ConfiguredAirbyteCatalog } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import type { ConnectorHandle, ConnectorRun } from "./connector-handle.js";
import { MessageQueue } from "./message-queue.js";

/** A handle and the config that makes its connector behave as the suite asks. */
export interface ConformanceConnector {
  readonly handle: ConnectorHandle;
  readonly config: Record<string, unknown>;
}

/**
 * The same test connectors behind the transport under test. Sources serve stream `users`:
 * - good: 10 RECORDs and at least one STATE, then a clean exit;
 * - hang: a few RECORDs, then waits until it is killed;
 * - fail: exits with a non-zero code after saying why (stderr, or the error of an in-process run).
 * Destinations: good echoes each STATE it receives; die-early exits non-zero after 10 RECORDs.
 */
export interface HandleConformanceSubject {
  source(behaviour: "good" | "hang" | "fail"): ConformanceConnector;
  destination(behaviour: "good" | "die-early"): ConformanceConnector;
  /**
   * Transports that carry lines (processes, containers): a source that prints lines that are
   * not JSON between its RECORDs and exits 0. In-process handles have no lines and omit it.
   */
  readonly noisySource?: (() => ConformanceConnector) | undefined;
  /** Fails when a killed run left something behind (a process, a container); gets what the run sent. */
  readonly expectNothingLeft?: ((messages: readonly AirbyteMessage[]) => Promise<void>) | undefined;
}

const catalog: ConfiguredAirbyteCatalog = {
  streams: [
    {
      stream: {
        name: "users",
        json_schema: { type: "object" },
        supported_sync_modes: ["full_refresh", "incremental"],
      },
      sync_mode: "incremental",
      destination_sync_mode: "append",
    },
  ],
};

async function drain(run: ConnectorRun): Promise<AirbyteMessage[]> {
  const out: AirbyteMessage[] = [];
  for await (const batch of run.messages) out.push(...batch);
  return out;
}

const types = (messages: readonly AirbyteMessage[]) => messages.map((m) => m.type);

/**
 * The contract every ConnectorHandle keeps, whatever its transport: one suite run against the
 * in-process, process and container handles. Example:
 * `describeHandleConformance("process handle", () => ({ source: …, destination: … }))`.
 */
export function describeHandleConformance(name: string, subject: () => HandleConformanceSubject): void {
  describe(`${name} (handle conformance)`, () => {
    it("spec answers one SPEC and exits 0", async () => {
      const run = subject().source("good").handle.run({ command: "spec" });
      const messages = await drain(run);
      expect(types(messages).filter((t) => t !== "LOG")).toEqual(["SPEC"]);
      expect(await run.exit).toMatchObject({ code: 0, signal: null });
      expect((await run.exit).failure).toBeUndefined();
    });

    it("check and discover get the config and answer CONNECTION_STATUS and CATALOG", async () => {
      const { handle, config } = subject().source("good");
      const check = handle.run({ command: "check", config });
      const status = (await drain(check)).find((m) => m.type === "CONNECTION_STATUS");
      expect(status?.connectionStatus.status).toBe("SUCCEEDED");
      expect((await check.exit).code).toBe(0);
      const discover = handle.run({ command: "discover", config });
      const found = (await drain(discover)).find((m) => m.type === "CATALOG");
      expect(found?.catalog.streams.map((s) => s.name)).toEqual(["users"]);
      expect((await discover.exit).code).toBe(0);
    });

    it("read delivers the records and states in order, then a clean exit", async () => {
      const { handle, config } = subject().source("good");
      const run = handle.run({ command: "read", config, catalog });
      const messages = await drain(run);
      const records = messages.filter((m) => m.type === "RECORD");
      expect(records.map((m) => m.record.data.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(records.every((m) => m.record.stream === "users")).toBe(true);
      const firstState = messages.findIndex((m) => m.type === "STATE");
      expect(firstState).toBeGreaterThan(0);
      expect(messages.slice(0, firstState).some((m) => m.type === "RECORD")).toBe(true);
      expect(await run.exit).toMatchObject({ code: 0, signal: null });
      expect((await run.exit).failure).toBeUndefined();
    });

    it("a failing connector exits non-zero and says why in the stderr tail", async () => {
      const { handle, config } = subject().source("fail");
      const run = handle.run({ command: "read", config, catalog });
      await drain(run);
      const exit = await run.exit;
      expect(exit.signal).toBeNull();
      expect(exit.code).not.toBe(0);
      expect(exit.code).not.toBeNull();
      expect(exit.stderrTail.length).toBeGreaterThan(0);
    });

    it("write feeds the input to the destination, which echoes the states; the input is used up", async () => {
      const { handle, config } = subject().destination("good");
      const input = new MessageQueue();
      const run = handle.run({ command: "write", config, catalog, input });
      const output = drain(run);
      const state = {
        type: "STREAM" as const,
        stream: { stream_descriptor: { name: "users" }, stream_state: { n: 2 } },
      };
      await input.push([
        { type: "RECORD", record: { stream: "users", data: { id: 1 }, emitted_at: 1 } },
        { type: "RECORD", record: { stream: "users", data: { id: 2 }, emitted_at: 1 } },
        { type: "STATE", state },
      ]);
      input.close();
      const echoed = (await output).filter((m) => m.type === "STATE");
      expect(echoed).toHaveLength(1);
      expect(echoed[0]?.state.stream).toEqual(state.stream);
      expect(await run.exit).toMatchObject({ code: 0, signal: null });
      expect(input.consumedToEnd).toBe(true);
    });

    it("a destination that dies mid-input exits non-zero and stops taking input", async () => {
      const { handle, config } = subject().destination("die-early");
      const input = new MessageQueue({ maxBatches: 4 });
      const run = handle.run({ command: "write", config, catalog, input });
      const output = drain(run);
      const batch: AirbyteMessage[] = Array.from({ length: 200 }, (_, i) => ({
        type: "RECORD",
        record: { stream: "users", data: { id: i, pad: "p".repeat(200) }, emitted_at: 1 },
      }));
      let accepted = 0;
      while (accepted < 5000 && (await input.push(batch))) accepted++;
      await output;
      const exit = await run.exit;
      expect(exit.code).not.toBe(0);
      expect(accepted).toBeLessThan(5000);
      expect(input.consumedToEnd).toBe(false);
    });

    it("kill() stops a running connector: its output ends and the exit names the signal", async () => {
      const { handle, config } = subject().source("hang");
      const run = handle.run({ command: "read", config, catalog });
      const seen: AirbyteMessage[] = [];
      const iterator = run.messages[Symbol.asyncIterator]();
      while (!seen.some((m) => m.type === "RECORD")) {
        const next = await iterator.next();
        if (next.done === true) throw new Error("the source ended before it was killed");
        seen.push(...next.value);
      }
      run.kill();
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        seen.push(...next.value);
      }
      const exit = await run.exit;
      expect(exit.code).toBeNull();
      expect(exit.signal).not.toBeNull();
      await subject().expectNothingLeft?.(seen);
    });

    it("a run whose signal is already aborted never starts", async () => {
      const controller = new AbortController();
      controller.abort();
      const run = subject().source("good").handle.run({ command: "spec" }, { signal: controller.signal });
      expect(await drain(run)).toEqual([]);
      expect(await run.exit).toMatchObject({ code: null, signal: "SIGTERM" });
    });

    it.runIf(subject().noisySource !== undefined)(
      "lines that are not messages, and stderr lines, arrive as INFO logs in order",
      async () => {
        const { handle, config } = subject().noisySource?.() ?? subject().source("good");
        const run = handle.run({ command: "read", config, catalog });
        const messages = await drain(run);
        const first = messages.findIndex((m) => m.type === "RECORD");
        const last = messages.findLastIndex((m) => m.type === "RECORD");
        const between = messages.slice(first, last).filter((m) => m.type === "LOG");
        expect(between.some((m) => m.log.level === "INFO" && !m.log.message.startsWith("{"))).toBe(true);
        expect((await run.exit).code).toBe(0);

        const failing = subject().source("fail");
        const failed = failing.handle.run({ command: "read", config: failing.config, catalog });
        const logged = (await drain(failed)).filter((m) => m.type === "LOG").map((m) => m.log.message);
        const tail = (await failed.exit).stderrTail;
        expect(tail.length).toBeGreaterThan(0);
        for (const line of tail) expect(logged).toContain(line);
      },
    );
  });
}
