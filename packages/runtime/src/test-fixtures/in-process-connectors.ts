import { setTimeout as sleep } from "node:timers/promises";
import { ConnectorError, defineDestination, defineSource, type RecordData } from "@weir/cdk";
import type { AirbyteMessage, AirbyteRecordMessage } from "@weir/protocol";
import type { ConnectorHandle, ConnectorRun } from "../connector-handle.js";

const anyObject = { connectionSpecification: { type: "object" } };

/** What a counting source did, for tests to look at. */
export interface SourceProbe {
  /** Highest id yielded so far. */
  produced: number;
  /** Every data object yielded, to check the destination gets the same objects. */
  readonly yielded: RecordData[];
}

export interface CountingConfig {
  /** Records to emit; absent: forever. */
  count?: number;
  chunk?: number;
  delayMs?: number;
  /** Throw a config error once this id is reached. */
  failAt?: number;
  /** Wait forever (until aborted) once this id is reached. */
  hangAfter?: number;
}

/** Stream "users" counting ids from the state's cursor, one STATE per chunk. */
export function countingSource(probe: SourceProbe = { produced: 0, yielded: [] }) {
  return defineSource<CountingConfig>({
    name: "source-counting",
    version: "0.0.1",
    spec: anyObject,
    checkpointEvery: 1,
    streams: () => [
      {
        name: "users",
        jsonSchema: { type: "object" },
        supportedSyncModes: ["full_refresh", "incremental"],
        async *read({ config, state, signal }) {
          let id = (state as { cursor?: number } | undefined)?.cursor ?? 0;
          const chunk = config.chunk ?? 10;
          for (;;) {
            if (config.count !== undefined && id >= config.count) return;
            if (config.hangAfter !== undefined && id >= config.hangAfter) {
              await new Promise((resolve) => signal.addEventListener("abort", resolve));
              return;
            }
            const records: RecordData[] = [];
            for (let i = 0; i < chunk && (config.count === undefined || id < config.count); i++) {
              const data = { id: ++id };
              records.push(data);
              probe.yielded.push(data);
            }
            if (config.failAt !== undefined && id >= config.failAt) {
              throw new ConnectorError("config_error", "the API key was revoked", `at id ${id}`);
            }
            probe.produced = id;
            yield { records, state: { cursor: id } };
            if (config.delayMs !== undefined) await sleep(config.delayMs);
          }
        },
      },
    ],
  });
}

/** What a recording destination received. */
export interface DestinationProbe {
  readonly written: AirbyteRecordMessage[];
  /** Largest gap seen between the source's produced id and the records written, at each write. */
  maxLag: number;
  closed: { ok: boolean; complete: string[] } | undefined;
}

export interface RecordingConfig {
  writeDelayMs?: number;
  flushDelayMs?: number;
  /** Throw once this many records were written. */
  failAfter?: number;
  /** After this many flushes, flush() waits until the run is aborted, then throws. */
  hangFlushAfter?: number;
}

/** Keeps records in memory; `source` lets it measure how far ahead the source ran. */
export function recordingDestination(
  probe: DestinationProbe = { written: [], maxLag: 0, closed: undefined },
  source?: SourceProbe,
) {
  return defineDestination<RecordingConfig>({
    name: "destination-recording",
    version: "0.0.1",
    spec: anyObject,
    async open({ config, signal }) {
      let flushes = 0;
      return {
        async write(records) {
          if (config.writeDelayMs !== undefined) await sleep(config.writeDelayMs);
          probe.written.push(...records);
          if (source !== undefined)
            probe.maxLag = Math.max(probe.maxLag, source.produced - probe.written.length);
          if (config.failAfter !== undefined && probe.written.length >= config.failAfter) {
            throw new Error("disk full");
          }
        },
        async flush() {
          if (config.hangFlushAfter !== undefined && flushes++ >= config.hangFlushAfter) {
            await new Promise((resolve) => signal.addEventListener("abort", resolve));
            throw new Error("aborted during flush");
          }
          if (config.flushDelayMs !== undefined) await sleep(config.flushDelayMs);
        },
        async close({ ok, completeStreams }) {
          probe.closed = { ok, complete: [...completeStreams] };
        },
      };
    },
  });
}

/** Wraps a handle to see every message its runs send, e.g. the states a destination echoes. */
export function tapHandle(handle: ConnectorHandle, seen: AirbyteMessage[]): ConnectorHandle {
  return {
    description: handle.description,
    run(invocation, options): ConnectorRun {
      const run = handle.run(invocation, options);
      const inner = run.messages;
      return {
        exit: run.exit,
        kill: (reason) => run.kill(reason),
        messages: {
          [Symbol.asyncIterator]() {
            const iterator = inner[Symbol.asyncIterator]();
            return {
              async next() {
                const next = await iterator.next();
                if (next.done !== true) seen.push(...next.value);
                return next;
              },
              return: () => iterator.return?.() ?? Promise.resolve({ done: true, value: undefined }),
            };
          },
        },
      };
    },
  };
}
