import { type AirbyteMessage, type AirbyteStateMessage, streamStatusTrace } from "@weir/protocol";
import type { ConnectorRun, RunExit } from "./connector-handle.js";
import { exitFailure, traceFailure } from "./failure.js";
import { MessageQueue } from "./message-queue.js";
import { mappedCatalog, RecordMapping } from "./record-mapping.js";
import { routeSourceBatch, type SyncEvents } from "./source-messages.js";
import { StateLedger, stateMessagesOf } from "./state-ledger.js";
import { STOPPED, StopLatch } from "./stop-latch.js";
import { describeStream, StreamCounters } from "./stream-counters.js";
import { SyncLog } from "./sync-log.js";
import { syncNotes } from "./sync-notes.js";
import type { SyncFailure, SyncOptions, SyncResult } from "./sync-types.js";

const DEFAULT_HEARTBEAT_TIMEOUT_MS = 600_000;
const DEFAULT_PROGRESS_INTERVAL_MS = 250;
const DEFAULT_CANCEL_GRACE_MS = 60_000;
// A connector we killed gets this long to exit before the sync stops waiting for it (an
// in-process connector that ignores its abort signal cannot be forced).
const KILLED_EXIT_WAIT_MS = 15_000;
// Between source and destination: at most this many batches or bytes (as counted for
// bytesEmitted), whatever the size of the tables.
const QUEUE_MAX_BATCHES = 16;
const QUEUE_MAX_BYTES = 32 * 1024 * 1024;

type Side = "source" | "destination";

const seconds = (ms: number): string => `${ms / 1000} s`;

class SyncRun {
  readonly #o: SyncOptions;
  readonly #started = Date.now();
  readonly #counters: StreamCounters;
  readonly #ledger: StateLedger;
  readonly #queue: MessageQueue;
  readonly #mapping: RecordMapping;
  readonly #describe: Record<Side, string>;
  readonly #runs: Partial<Record<Side, ConnectorRun>> = {};
  readonly #killed: Record<Side, boolean> = { source: false, destination: false };
  readonly #gaveUp: Record<Side, StopLatch> = { source: new StopLatch(), destination: new StopLatch() };
  readonly #stopReadingSource = new StopLatch();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #logs: SyncLog;
  #failure: SyncFailure | undefined;
  #cancelled = false;
  #stopping = false;
  #finished = false;
  #sourceEnded = false;
  #waitingForRoom = false;
  #lastActivity = Date.now();
  #progressDirty = false;
  #saveFailed = false;
  readonly #events: SyncEvents = {
    fail: (failure) => this.#fail(failure),
    log: (origin, level, message) => this.#logs.write(origin, level, message),
    connectorLog: (origin, log) => this.#logs.connector(origin, log),
    control: (origin) => this.#logs.control(origin),
  };

  constructor(options: SyncOptions) {
    this.#o = options;
    this.#logs = new SyncLog(options.onLog);
    this.#describe = {
      source: options.source.handle.description,
      destination: options.destination.handle.description,
    };
    this.#counters = new StreamCounters(options.catalog, (stream) => this.#logs.unknownStream(stream));
    this.#ledger = new StateLedger(stateMessagesOf(options.state));
    this.#mapping = new RecordMapping(options.mappers ?? [], this.#counters, (message) =>
      this.#logs.write("platform", "WARN", message),
    );
    this.#queue = new MessageQueue({
      maxBatches: QUEUE_MAX_BATCHES,
      maxBytes: QUEUE_MAX_BYTES,
      onTake: () => this.#beat(),
    });
  }

  async run(): Promise<SyncResult> {
    const { signal, catalog } = this.#o;
    if (signal?.aborted) {
      this.#cancelled = true;
      return this.#result();
    }
    const destination = this.#o.destination.handle.run({
      command: "write",
      config: this.#o.destination.config,
      // The destination creates what the mappers produce, not what the source sends.
      catalog: mappedCatalog(catalog, this.#o.mappers ?? []),
      input: this.#queue,
    });
    const source = this.#o.source.handle.run({
      command: "read",
      config: this.#o.source.config,
      catalog,
      state: this.#o.state,
    });
    this.#runs.source = source;
    this.#runs.destination = destination;
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#armHeartbeat(this.#o.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS);
    const progress = setInterval(() => {
      if (this.#progressDirty) this.#emitProgress();
    }, this.#o.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS);
    progress.unref();
    try {
      await Promise.all([this.#pumpSource(source), this.#pumpDestination(destination)]);
    } catch (error) {
      // A bug of the driver: the connectors must not outlive it.
      source.kill("the sync failed");
      destination.kill("the sync failed");
      throw error;
    } finally {
      this.#finished = true;
      clearInterval(progress);
      for (const timer of this.#timers) clearTimeout(timer);
      signal?.removeEventListener("abort", this.#onAbort);
    }
    this.#emitProgress();
    return this.#result();
  }

  // ---- source → destination ----------------------------------------------------------------

  async #pumpSource(run: ConnectorRun): Promise<void> {
    const iterator = run.messages[Symbol.asyncIterator]();
    let ended = false;
    try {
      for (;;) {
        const next = await this.#stopReadingSource.race(iterator.next());
        if (next === STOPPED) break;
        if (next.done === true) {
          ended = true;
          break;
        }
        this.#beat();
        const routed = routeSourceBatch(next.value, this.#counters, this.#ledger, this.#events);
        let forward = routed.forward;
        if (this.#stopping) break;
        if (forward.length === 0) continue;
        if (!this.#mapping.isEmpty) {
          const mapped = await this.#mapping.apply(forward);
          if (!mapped.ok) {
            // What was queued before is fine: the destination may still commit it.
            this.#fail(mapped.failure);
            this.#stopSource("a mapper failed");
            break;
          }
          forward = mapped.value;
        }
        const bytes = routed.bytes;
        this.#waitingForRoom = true;
        const more = await this.#queue.push(forward, bytes);
        this.#waitingForRoom = false;
        if (!more || this.#stopping) break;
      }
    } finally {
      if (!ended) iterator.return?.()?.catch(() => undefined);
    }
    // Only a destination that stopped reading ends the loop without a kill: nothing can be delivered.
    if (!ended) this.#stopSource("the destination stopped reading its input");
    const exit = await this.#exitOf("source", run);
    this.#sourceEnded = true;
    if (!this.#killed.source) {
      const failure = exitFailure(exit, "source", this.#describe.source);
      if (failure !== undefined) this.#fail(failure);
    }
    if (ended && !this.#stopping && this.#failure === undefined) await this.#completeUnfinishedStreams();
    this.#queue.close();
  }

  /** After a clean source exit, streams it gave no final status are complete (older sources send none). */
  async #completeUnfinishedStreams(): Promise<void> {
    const unfinished = this.#counters.unfinished();
    if (unfinished.length === 0) return;
    this.#logs.write(
      "platform",
      "INFO",
      `the source exited cleanly without a final status for ${unfinished.map(describeStream).join(", ")}: marked COMPLETE`,
    );
    for (const stats of unfinished) stats.status = "COMPLETE";
    await this.#queue.push(unfinished.map((stats) => streamStatusTrace(stats, "COMPLETE")));
  }

  // ---- destination → state -----------------------------------------------------------------

  async #pumpDestination(run: ConnectorRun): Promise<void> {
    const iterator = run.messages[Symbol.asyncIterator]();
    let ended = false;
    try {
      for (;;) {
        const next = await this.#gaveUp.destination.race(iterator.next());
        if (next === STOPPED) break;
        if (next.done === true) {
          ended = true;
          break;
        }
        this.#beat();
        await this.#fromDestination(next.value);
      }
    } finally {
      if (!ended) iterator.return?.()?.catch(() => undefined);
    }
    const exit = await this.#exitOf("destination", run);
    if (!this.#killed.destination) {
      const failure = exitFailure(exit, "destination", this.#describe.destination);
      if (failure !== undefined) this.#fail(failure);
    }
    if (!this.#queue.consumedToEnd) {
      if (!this.#killed.destination) {
        this.#fail({
          type: "system_error",
          origin: "destination",
          message: `${this.#describe.destination} exited before reading all of its input`,
        });
      }
      this.#stopSource("the destination is gone");
      this.#queue.abandon();
    }
  }

  async #fromDestination(batch: readonly AirbyteMessage[]): Promise<void> {
    for (const message of batch) {
      if (message.type === "STATE") await this.#echoed(message.state);
      else if (message.type === "TRACE" && message.trace.type === "ERROR" && message.trace.error != null) {
        this.#fail(traceFailure(message.trace.error, "destination"));
      } else if (message.type === "LOG") this.#logs.connector("destination", message.log);
      else if (message.type === "CONTROL") this.#logs.control("destination");
    }
  }

  async #echoed(state: AirbyteStateMessage): Promise<void> {
    // Once the state cannot be saved, committing more would only widen the gap with what is stored.
    if (this.#saveFailed) return;
    const committed = this.#ledger.echoedByDestination(state);
    if (committed === undefined) {
      this.#logs.write(
        "platform",
        "WARN",
        "the destination sent a state that matches no state the source sent and it has not confirmed yet; it is ignored",
      );
      return;
    }
    this.#counters.commit(committed);
    this.#progressDirty = true;
    const onStateCommitted = this.#o.onStateCommitted;
    if (onStateCommitted === undefined) return;
    try {
      await onStateCommitted(this.#ledger.current);
    } catch (error) {
      this.#saveFailed = true;
      this.#fail({
        type: "system_error",
        origin: "platform",
        message: `saving the committed state failed: ${error instanceof Error ? error.message : String(error)}`,
      });
      this.#stopAll("the committed state cannot be saved");
    }
  }

  // ---- stopping -----------------------------------------------------------------------------

  #kill(side: Side, reason: string): void {
    if (this.#killed[side]) return;
    this.#killed[side] = true;
    this.#logs.write("platform", "INFO", `stopping the ${side} (${this.#describe[side]}): ${reason}`);
    this.#runs[side]?.kill(reason);
    this.#timer(() => this.#gaveUp[side].open(), KILLED_EXIT_WAIT_MS);
  }

  /** Forwards nothing more from the source, and stops it. */
  #stopSource(reason: string): void {
    this.#stopping = true;
    this.#stopReadingSource.open();
    this.#kill("source", reason);
  }

  #stopAll(reason: string): void {
    this.#stopSource(reason);
    this.#queue.abandon();
    this.#kill("destination", reason);
  }

  async #exitOf(side: Side, run: ConnectorRun): Promise<RunExit> {
    const exit = await this.#gaveUp[side].race(run.exit);
    if (exit !== STOPPED) return exit;
    this.#logs.write(
      "platform",
      "WARN",
      `the ${side} (${this.#describe[side]}) did not stop; the sync no longer waits for it`,
    );
    return { code: null, signal: null, stderrTail: [] };
  }

  readonly #onAbort = (): void => {
    if (this.#finished) return;
    if (this.#failure === undefined) this.#cancelled = true;
    this.#logs.write(
      "platform",
      "WARN",
      "cancelled: the source is stopped; the destination finishes what was already queued, and the states it confirms are committed",
    );
    this.#stopSource("the sync was cancelled");
    this.#queue.close();
    const grace = this.#o.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
    this.#timer(() => {
      this.#queue.abandon();
      this.#kill("destination", `it did not finish within ${seconds(grace)} of the cancellation`);
    }, grace);
  };

  #armHeartbeat(timeoutMs: number): void {
    const check = () => {
      if (this.#finished) return;
      const idle = Date.now() - this.#lastActivity;
      if (idle < timeoutMs) {
        this.#timer(check, timeoutMs - idle);
        return;
      }
      const silent: Side = this.#sourceEnded || this.#waitingForRoom ? "destination" : "source";
      const what = this.#waitingForRoom ? "took no input and sent nothing" : "sent nothing";
      const message = `the ${silent} (${this.#describe[silent]}) ${what} for ${seconds(timeoutMs)}`;
      this.#fail({ type: "transient_error", origin: silent, message });
      this.#stopAll(message);
    };
    // Not unref'd: while a sync runs it is what guarantees an answer, even when an in-process
    // connector awaits forever and nothing else keeps the event loop alive. Cleared at the end.
    this.#timer(check, timeoutMs);
  }

  #timer(callback: () => void, ms: number): void {
    if (this.#finished) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    this.#timers.add(timer);
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  #beat(): void {
    this.#lastActivity = Date.now();
    this.#progressDirty = true;
  }

  #fail(failure: SyncFailure): void {
    // Once cancelled, what the stop causes (a killed source's exit) is no failure.
    if (this.#cancelled) return;
    if (this.#failure === undefined) this.#failure = failure;
    else this.#logs.write(failure.origin, "WARN", failure.message);
  }

  #emitProgress(): void {
    this.#progressDirty = false;
    this.#o.onProgress?.({ elapsedMs: Date.now() - this.#started, streams: this.#counters.snapshot() });
  }

  #result(): SyncResult {
    const base = {
      durationMs: Date.now() - this.#started,
      streams: this.#counters.snapshot(),
      state: this.#ledger.current,
      notes: this.#runs.source === undefined ? [] : syncNotes(this.#counters, this.#ledger),
    };
    if (this.#cancelled) {
      return {
        status: "cancelled",
        failure: { type: "transient_error", origin: "platform", message: "cancelled by the user" },
        ...base,
      };
    }
    if (this.#failure !== undefined) return { status: "failed", failure: this.#failure, ...base };
    return { status: "succeeded", ...base };
  }
}

/**
 * Runs one sync: the source's `read` piped into the destination's `write`, states committed
 * as the destination echoes them, failures classified. Never rejects for a connector's
 * failure: that is the result's `failure`.
 * Example: `const result = await runSync({ source: { handle, config }, destination: { handle, config }, catalog })`.
 */
export function runSync(options: SyncOptions): Promise<SyncResult> {
  return new SyncRun(options).run();
}
