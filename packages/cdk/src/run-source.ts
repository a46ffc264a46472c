import {
  type AirbyteMessage,
  ConfiguredAirbyteCatalog,
  type ConfiguredAirbyteStream,
  estimateTrace,
  type StreamDescriptor,
  streamKey,
  streamStateMessage,
  streamStatusTrace,
} from "@weir/protocol";
import { ABORTED, abortableNext, releaseIterator } from "./abortable-next.js";
import type { SourceConnector, StreamDefinition, StreamReadContext } from "./define.js";
import { describeFailure } from "./failure-description.js";
import type { RunLog } from "./run-log.js";
import { parseStateInput, type StreamStates } from "./state-input.js";

/** The state of a finished stream that keeps no cursor (Airbyte's Python CDK writes the same). */
export const NO_CURSOR_STATE = Object.freeze({ __ab_no_cursor_state_message: true });

const isNoCursorState = (state: unknown): boolean =>
  typeof state === "object" &&
  state !== null &&
  (state as Record<string, unknown>).__ab_no_cursor_state_message === true &&
  Object.keys(state).length === 1;

type Source = SourceConnector<Record<string, unknown>>;
type Stream = StreamDefinition<Record<string, unknown>>;

/** What a `read` run needs besides the connector. */
export interface ReadRun {
  readonly config: Record<string, unknown>;
  readonly catalog: unknown;
  readonly state: unknown;
  readonly log: RunLog;
  readonly signal: AbortSignal;
  readonly checkpointEvery: number;
}

const describeStream = (d: { readonly name: string; readonly namespace?: string | null | undefined }) =>
  d.namespace ? `"${d.namespace}.${d.name}"` : `"${d.name}"`;

/** Matches configured streams to the source's streams; a problem is a config error. */
function planStreams(
  configured: readonly ConfiguredAirbyteStream[],
  streams: readonly Stream[],
): { plan: { configured: ConfiguredAirbyteStream; stream: Stream }[] } | { problem: string } {
  const byKey = new Map(streams.map((s) => [streamKey(s), s]));
  const unknown: string[] = [];
  const unsupported: string[] = [];
  const plan: { configured: ConfiguredAirbyteStream; stream: Stream }[] = [];
  for (const c of configured) {
    const stream = byKey.get(streamKey(c.stream));
    if (stream === undefined) unknown.push(describeStream(c.stream));
    else if (!stream.supportedSyncModes.includes(c.sync_mode)) {
      unsupported.push(`${describeStream(c.stream)} does not support sync mode ${c.sync_mode}`);
    } else plan.push({ configured: c, stream });
  }
  if (unknown.length > 0) {
    const available = streams.map((s) => describeStream(s)).join(", ") || "none";
    return {
      problem: `The configured catalog names stream(s) this source does not have: ${unknown.join(", ")} (available: ${available})`,
    };
  }
  if (unsupported.length > 0)
    return { problem: `The configured catalog is not supported: ${unsupported.join("; ")}` };
  return { plan };
}

/** Runs `read`: STREAM_STATUS, ESTIMATE, RECORD and STATE messages, one batch per chunk. */
export async function* runRead(source: Source, run: ReadRun): AsyncGenerator<readonly AirbyteMessage[]> {
  const { log } = run;
  const catalog = ConfiguredAirbyteCatalog.safeParse(run.catalog);
  if (!catalog.success) {
    const issue = catalog.error.issues[0];
    const where = issue === undefined ? "" : `: ${issue.path.join(".") || "(root)"}: ${issue.message}`;
    yield log.withPending([log.problemTrace(`The configured catalog is invalid${where}`)]);
    return;
  }
  const stateInput = parseStateInput(run.state);
  if (!stateInput.ok) {
    yield log.withPending([log.problemTrace(stateInput.message)]);
    return;
  }
  let streams: readonly Stream[];
  try {
    streams = await source.streams({ config: run.config, logger: log, signal: run.signal });
  } catch (error) {
    yield log.withPending([log.errorTrace(describeFailure(error, "Listing the source's streams failed"))]);
    return;
  }
  const planned = planStreams(catalog.data.streams, streams);
  if ("problem" in planned) {
    yield log.withPending([log.problemTrace(planned.problem)]);
    return;
  }
  for (const { configured, stream } of planned.plan) {
    if (run.signal.aborted) break;
    const ok = yield* readStream(stream, configured, stateInput.states, run);
    if (!ok) return;
  }
  const rest = log.withPending([]);
  if (rest.length > 0) yield rest;
}

/** Reads one stream; false when it failed or was cancelled, and the read must stop. */
async function* readStream(
  stream: Stream,
  configured: ConfiguredAirbyteStream,
  states: StreamStates,
  run: ReadRun,
): AsyncGenerator<readonly AirbyteMessage[], boolean> {
  const { log, signal } = run;
  const descriptor: StreamDescriptor = stream.namespace
    ? { name: stream.name, namespace: stream.namespace }
    : { name: stream.name };
  const namespace = stream.namespace || undefined;
  const storedState = states.stateOf(descriptor);
  // The marker a stream without a cursor left last time means "no state" to the stream itself.
  const inputState = isNoCursorState(storedState) ? undefined : storedState;
  const ctx: StreamReadContext<Record<string, unknown>> = {
    config: run.config,
    logger: log,
    signal,
    configured,
    syncMode: configured.sync_mode,
    cursorField: configured.cursor_field?.length ? configured.cursor_field : stream.defaultCursorField,
    state: inputState,
  };

  const first: AirbyteMessage[] = [streamStatusTrace(descriptor, "STARTED")];
  try {
    const estimate = await stream.estimate?.(ctx);
    if (estimate !== undefined && (estimate.rows !== undefined || estimate.bytes !== undefined)) {
      first.push(estimateTrace(descriptor, estimate));
    }
  } catch (error) {
    // An estimate only feeds a progress bar; the read goes on without it.
    log.log("WARN", describeFailure(error, `Estimating stream ${describeStream(descriptor)} failed`).message);
  }
  yield log.withPending(first);

  // The state to emit at the end when the stream gives none: an incremental stream that found
  // nothing new hands back the state it started from, so the sync still checkpoints it.
  let lastState: unknown =
    configured.sync_mode === "incremental" && inputState != null ? inputState : undefined;
  let statePending = lastState !== undefined;
  let sinceCheckpoint = 0;
  let running = false;
  const stateMessage = (): AirbyteMessage => {
    const message = streamStateMessage(descriptor, lastState, sinceCheckpoint);
    sinceCheckpoint = 0;
    statePending = false;
    return message;
  };

  const iterator = stream.read(ctx)[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await abortableNext(iterator, signal);
      if (next === ABORTED) {
        log.log("WARN", `Reading stream ${describeStream(descriptor)} was cancelled`);
        yield log.withPending(
          statePending
            ? [stateMessage(), streamStatusTrace(descriptor, "INCOMPLETE")]
            : [streamStatusTrace(descriptor, "INCOMPLETE")],
        );
        return false;
      }
      if (next.done === true) break;
      const { records, state } = next.value;
      const batch: AirbyteMessage[] = [];
      if (records.length > 0) {
        if (!running) {
          batch.push(streamStatusTrace(descriptor, "RUNNING"));
          running = true;
        }
        const emittedAt = Date.now();
        const name = stream.name;
        // The hot path: plain object literals, no builder calls, no validation.
        if (namespace === undefined) {
          for (const data of records)
            batch.push({ type: "RECORD", record: { stream: name, data, emitted_at: emittedAt } });
        } else {
          for (const data of records) {
            batch.push({ type: "RECORD", record: { namespace, stream: name, data, emitted_at: emittedAt } });
          }
        }
        sinceCheckpoint += records.length;
      }
      if (state !== undefined) {
        lastState = state;
        statePending = true;
        if (sinceCheckpoint >= run.checkpointEvery) batch.push(stateMessage());
      }
      const out = log.withPending(batch);
      if (out.length > 0) yield out;
    }
    finished = true;
  } catch (error) {
    finished = true;
    const failure = describeFailure(error, `Reading stream ${describeStream(descriptor)} failed`);
    // The pending state belongs to records already emitted: checkpointing it saves the progress.
    const batch: AirbyteMessage[] = statePending ? [stateMessage()] : [];
    batch.push(streamStatusTrace(descriptor, "INCOMPLETE"), log.errorTrace(failure, descriptor));
    yield log.withPending(batch);
    return false;
  } finally {
    if (!finished) await releaseIterator(iterator, signal.aborted);
  }
  if (lastState === undefined) {
    // Sources emit state in every sync mode: without one, nothing of the stream could be
    // committed. A stream with no cursor checkpoints the marker Airbyte's Python CDK uses.
    lastState = NO_CURSOR_STATE;
    statePending = true;
  }
  const last: AirbyteMessage[] = statePending ? [stateMessage()] : [];
  last.push(streamStatusTrace(descriptor, "COMPLETE"));
  yield log.withPending(last);
  return true;
}
