import { type AirbyteStateMessage, type StateInput, streamKey } from "@weir/protocol";

/** How a state message is scoped. A message without `type` is typed by what it holds. */
export function stateKind(state: AirbyteStateMessage): "STREAM" | "GLOBAL" | "LEGACY" {
  if (state.type === "STREAM" || state.type === "GLOBAL" || state.type === "LEGACY") return state.type;
  if (state.stream != null) return "STREAM";
  if (state.global != null) return "GLOBAL";
  return "LEGACY";
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// Stats belong to one run: a destination adds destinationStats to its echo, and neither is
// part of the checkpoint handed to the next run.
const RUN_STATS = new Set(["sourceStats", "destinationStats"]);

/** JSON equality where an absent property and a null one are the same (re-serialising tools add nulls). */
function sameJson(a: unknown, b: unknown, ignore?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (ignore?.has(key)) continue;
    const x = a[key];
    const y = b[key];
    if (x == null && y == null) continue;
    if (!sameJson(x, y)) return false;
  }
  return true;
}

/** Whether a destination's echo is the same checkpoint as a state the source sent (stats aside). */
export function statesEqual(a: AirbyteStateMessage, b: AirbyteStateMessage): boolean {
  return sameJson(a, b, RUN_STATS);
}

function withoutRunStats(state: AirbyteStateMessage): AirbyteStateMessage {
  if (state.sourceStats === undefined && state.destinationStats === undefined) return state;
  const out: AirbyteStateMessage = { ...state };
  delete out.sourceStats;
  delete out.destinationStats;
  return out;
}

/**
 * The stored state after one more committed checkpoint: a STREAM state replaces that stream's
 * entry (or is added), a GLOBAL or LEGACY state replaces everything. Unknown fields are kept;
 * the run's sourceStats/destinationStats are dropped. Returns a new array.
 * Example: `mergeCommittedState(stored, { type: "STREAM", stream: { stream_descriptor: { name: "users" }, stream_state: { cursor: 9 } } })`.
 */
export function mergeCommittedState(
  current: readonly AirbyteStateMessage[],
  committed: AirbyteStateMessage,
): AirbyteStateMessage[] {
  const clean = withoutRunStats(committed);
  if (stateKind(committed) !== "STREAM" || committed.stream == null) return [clean];
  const key = streamKey(committed.stream.stream_descriptor);
  const out = [...current];
  const at = out.findIndex(
    (entry) =>
      stateKind(entry) === "STREAM" &&
      entry.stream != null &&
      streamKey(entry.stream.stream_descriptor) === key,
  );
  if (at === -1) out.push(clean);
  else out[at] = clean;
  return out;
}

/**
 * A stored state as a list of state messages: an array as it is (envelopes `{ type: "STATE",
 * state }` unwrapped), a bare legacy object as one LEGACY message, nothing as [].
 * Example: `stateMessagesOf({ users: { cursor: 3 } }) // [{ type: "LEGACY", data: { users: { cursor: 3 } } }]`.
 */
export function stateMessagesOf(input: StateInput | undefined): AirbyteStateMessage[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) return [{ type: "LEGACY", data: input }];
  return input.map((entry) => {
    const wrapped = entry as unknown;
    return isObject(wrapped) && wrapped.type === "STATE" && isObject(wrapped.state)
      ? (wrapped.state as AirbyteStateMessage)
      : entry;
  });
}

/**
 * What a source's `--state` gets for a stored state, as Airbyte's platform hands it over: the
 * list of state messages, or, when the source keeps one LEGACY state, that state's blob alone,
 * the form older connectors read. Nothing for no state.
 * Example: `sourceStateInput([{ type: "LEGACY", data: { cursor: 3 } }]) // { cursor: 3 }`.
 */
export function sourceStateInput(stored: readonly AirbyteStateMessage[]): StateInput | undefined {
  const [only] = stored;
  if (only === undefined) return undefined;
  if (stored.length === 1 && stateKind(only) === "LEGACY" && isObject(only.data)) return only.data;
  return [...stored];
}

interface PendingState {
  readonly state: AirbyteStateMessage;
  /** Records per stream (streamKey) this checkpoint covers. */
  readonly counts: ReadonlyMap<string, number>;
}

/**
 * The states a source sent that the destination has not echoed yet, in order, and the state
 * committed so far. An echo commits the oldest pending state equal to it and every one before
 * it (destinations may skip states); an echo matching nothing pending is not committed.
 */
export class StateLedger {
  #pending: PendingState[] = [];
  #current: AirbyteStateMessage[];
  #sent = 0;
  #commits = 0;

  constructor(initial: readonly AirbyteStateMessage[]) {
    this.#current = [...initial];
  }

  /** The whole committed state: the stored one merged with every commit of this run. */
  get current(): readonly AirbyteStateMessage[] {
    return this.#current;
  }

  /** States the source sent in this run. */
  get sent(): number {
    return this.#sent;
  }

  /** Echoes that committed something. */
  get commits(): number {
    return this.#commits;
  }

  /** States sent and never echoed (so far). */
  get pending(): number {
    return this.#pending.length;
  }

  /** Remembers a state the source sent, with the records per stream it covers. */
  sentBySource(state: AirbyteStateMessage, counts: ReadonlyMap<string, number>): void {
    this.#sent++;
    this.#pending.push({ state, counts });
  }

  /**
   * Commits up to the pending state the echo matches; returns the records per stream that
   * became committed, or undefined when the echo matches no pending state.
   */
  echoedByDestination(echo: AirbyteStateMessage): Map<string, number> | undefined {
    const at = this.#pending.findIndex((pending) => statesEqual(pending.state, echo));
    if (at === -1) return undefined;
    const done = this.#pending.splice(0, at + 1);
    const committed = new Map<string, number>();
    let current = this.#current;
    for (const { state, counts } of done) {
      current = mergeCommittedState(current, state);
      for (const [key, count] of counts) committed.set(key, (committed.get(key) ?? 0) + count);
    }
    this.#current = current;
    this.#commits++;
    return committed;
  }
}
