import {
  type AirbyteMessage,
  type AirbyteRecordMessage,
  ConfiguredAirbyteCatalog,
  type StateMessage,
  streamKey,
} from "@weir/protocol";
import { ABORTED, abortableNext, releaseIterator } from "./abortable-next.js";
import type { DestinationConnector, DestinationWriter } from "./define.js";
import { describeFailure, type FailureDescription } from "./failure-description.js";
import { FlushPolicy, type FlushSettings, TIMED_OUT, withinMs } from "./flush-policy.js";
import type { RunLog } from "./run-log.js";

type Destination = DestinationConnector<Record<string, unknown>>;

/** What a `write` run needs besides the connector. */
export interface WriteRun extends FlushSettings {
  readonly config: Record<string, unknown>;
  readonly catalog: unknown;
  readonly input: AsyncIterable<readonly AirbyteMessage[]>;
  readonly log: RunLog;
  readonly signal: AbortSignal;
}

/**
 * Counts records per stream between state echoes, and decides which echoes wait for `close`.
 * Echoes keep every field of the state they answer, with `destinationStats.recordCount` added.
 */
class StateEchoes {
  readonly #sinceEcho = new Map<string, number>();
  readonly #holdingStreams = new Set<string>();
  #holdingAll = false;
  readonly held: AirbyteMessage[] = [];

  constructor(readonly writer: DestinationWriter) {}

  written(key: string, count: number): void {
    this.#sinceEcho.set(key, (this.#sinceEcho.get(key) ?? 0) + count);
  }

  /** The echo of `message`, or undefined when it is held until close. */
  echo(message: StateMessage): AirbyteMessage | undefined {
    const state = message.state;
    const deferred = this.writer.deferredStreams;
    let recordCount = 0;
    let hold: boolean;
    if (state.type === "STREAM" || (state.type == null && state.stream != null)) {
      const key = streamKey(state.stream?.stream_descriptor ?? { name: "" });
      recordCount = this.#sinceEcho.get(key) ?? 0;
      this.#sinceEcho.delete(key);
      // Once one state of a stream waits, the later ones wait too, to keep their order.
      hold = this.#holdingAll || this.#holdingStreams.has(key) || deferred?.has(key) === true;
      if (hold) this.#holdingStreams.add(key);
    } else {
      for (const count of this.#sinceEcho.values()) recordCount += count;
      this.#sinceEcho.clear();
      // A global or legacy state speaks for every stream, so any deferred stream holds it.
      hold =
        this.#holdingAll || this.#holdingStreams.size > 0 || (deferred !== undefined && deferred.size > 0);
      if (hold) this.#holdingAll = true;
    }
    const echoed: AirbyteMessage = {
      ...message,
      state: { ...state, destinationStats: { ...(state.destinationStats ?? {}), recordCount } },
    };
    if (!hold) return echoed;
    this.held.push(echoed);
    return undefined;
  }

  /**
   * The held echoes that may go out once close succeeded: in order, up to the first that speaks
   * for a deferred stream the source did not complete (its data was built aside and dropped).
   * Everything after it is dropped too: an echo confirms every state before it.
   */
  releasable(
    deferred: ReadonlySet<string> | undefined,
    complete: ReadonlySet<string>,
  ): { released: AirbyteMessage[]; dropped: number } {
    const unfinished = [...(deferred ?? [])].filter((key) => !complete.has(key));
    let count = 0;
    for (const message of this.held) {
      if (message.type !== "STATE") break;
      const state = message.state;
      const isStream = state.type === "STREAM" || (state.type == null && state.stream != null);
      const speaksFor = isStream ? [streamKey(state.stream?.stream_descriptor ?? { name: "" })] : unfinished;
      if (speaksFor.some((key) => unfinished.includes(key))) break;
      count++;
    }
    return { released: this.held.slice(0, count), dropped: this.held.length - count };
  }
}

/**
 * Runs `write`: records go to the writer in one batch per stream per input batch; each STATE is
 * echoed after a `flush` that followed every record before it, except those of deferred streams,
 * which are echoed after `close` succeeds. One flush serves every state that arrived since the
 * last one (see FlushPolicy): it comes when the interval or the record count says so, when the
 * input pauses with echoes waiting, and when the input ends.
 */
export async function* runWrite(
  destination: Destination,
  run: WriteRun,
): AsyncGenerator<readonly AirbyteMessage[]> {
  const { log, signal } = run;
  const parsed = ConfiguredAirbyteCatalog.safeParse(run.catalog);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? "" : `: ${issue.path.join(".") || "(root)"}: ${issue.message}`;
    yield log.withPending([log.problemTrace(`The configured catalog is invalid${where}`)]);
    return;
  }
  const catalog = parsed.data;
  const policy = new FlushPolicy(run);
  let writer: DestinationWriter;
  try {
    writer = await destination.open({ config: run.config, catalog, logger: log, signal });
  } catch (error) {
    yield log.withPending([log.errorTrace(describeFailure(error, "Opening the destination failed"))]);
    return;
  }

  const inCatalog = new Set(catalog.streams.map((s) => streamKey(s.stream)));
  const completeStreams = new Set<string>();
  const ignored = new Set<string>();
  const echoes = new StateEchoes(writer);
  const buffers = new Map<string, AirbyteRecordMessage[]>();
  let closed = false;
  let failure: FailureDescription | undefined;
  let aborted = false;
  // Set once the input ended and the last echoes were handed out; until then, leaving the run
  // (failure, abort, or a consumer that stops reading) closes the writer with `ok: false`.
  let completed = false;

  const writeBuffers = async () => {
    if (buffers.size === 0) return;
    for (const [key, records] of buffers) {
      await writer.write(records);
      echoes.written(key, records.length);
      policy.written(records.length);
    }
    buffers.clear();
  };
  const flush = async (): Promise<AirbyteMessage[]> => {
    await writer.flush();
    return policy.flushed();
  };

  const iterator = run.input[Symbol.asyncIterator]();
  let inputDone = false;
  // The input's next batch, kept across an early flush so that no batch is lost or asked twice.
  let pending: ReturnType<typeof abortableNext<readonly AirbyteMessage[]>> | undefined;
  try {
    for (;;) {
      pending ??= abortableNext(iterator, signal);
      let next: Awaited<typeof pending> | typeof TIMED_OUT;
      if (policy.awaiting) {
        // Echoes wait: a pause in the input must not hold them past the interval.
        next = await withinMs(pending, policy.remainingMs());
        if (next === TIMED_OUT) {
          yield log.withPending(await flush());
          continue;
        }
      } else next = await pending;
      pending = undefined;
      if (next === ABORTED) {
        aborted = true;
        break;
      }
      if (next.done === true) {
        inputDone = true;
        if (policy.awaiting) yield log.withPending(await flush());
        completed = true;
        break;
      }
      const out: AirbyteMessage[] = [];
      for (const message of next.value) {
        if (message.type === "RECORD") {
          const record = message.record;
          const key = streamKey({ name: record.stream, namespace: record.namespace });
          const buffer = buffers.get(key);
          if (buffer !== undefined) buffer.push(record);
          else if (inCatalog.has(key)) buffers.set(key, [record]);
          else if (!ignored.has(key)) {
            ignored.add(key);
            log.log(
              "WARN",
              `Ignoring records of stream "${record.stream}": it is not in the configured catalog`,
            );
          }
        } else if (message.type === "STATE") {
          // Written first, so that the echo counts them and the next flush covers them.
          await writeBuffers();
          const echo = echoes.echo(message);
          const now = echo === undefined ? undefined : policy.admit(echo);
          if (now !== undefined) out.push(now);
        } else if (message.type === "TRACE" && message.trace.stream_status?.status === "COMPLETE") {
          completeStreams.add(streamKey(message.trace.stream_status.stream_descriptor));
        }
      }
      await writeBuffers();
      if (policy.due()) out.push(...(await flush()));
      const batch = log.withPending(out);
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    failure = describeFailure(error, "Writing records failed");
  } finally {
    // After a failure or an abort the input may still be open: let its producer clean up. With a
    // `next()` still running (the consumer stopped during an early flush), `return()` would
    // wait for it, and a silent input would hold this run forever.
    if (!inputDone) {
      pending?.catch(() => {});
      await releaseIterator(iterator, aborted || signal.aborted || pending !== undefined);
    }
    // Echoes still awaiting a flush are dropped here: what they confirm is not durable.
    if (!closed && !completed) {
      closed = true;
      try {
        await writer.close({ ok: false, completeStreams });
      } catch (error) {
        log.log("ERROR", describeFailure(error, "Closing the destination after a failure failed").message);
      }
    }
  }

  if (aborted) {
    log.log("WARN", "The write was cancelled; the destination was closed without committing");
    const rest = log.withPending([]);
    if (rest.length > 0) yield rest;
    return;
  }
  if (failure !== undefined) {
    yield log.withPending([log.errorTrace(failure)]);
    return;
  }
  closed = true;
  try {
    await writer.close({ ok: true, completeStreams });
  } catch (error) {
    yield log.withPending([log.errorTrace(describeFailure(error, "Closing the destination failed"))]);
    return;
  }
  const { released, dropped } = echoes.releasable(writer.deferredStreams, completeStreams);
  if (dropped > 0) {
    log.log(
      "WARN",
      `${dropped} state(s) were not confirmed: they follow data of a stream the source did not complete, which the destination did not swap in`,
    );
  }
  const last = log.withPending(released);
  if (last.length > 0) yield last;
}
