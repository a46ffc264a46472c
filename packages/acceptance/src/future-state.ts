import { isSchemaNode } from "@weir/cdk";
import {
  type AirbyteStateMessage,
  type ConfiguredAirbyteCatalog,
  type StateInput,
  streamKey,
} from "@weir/protocol";
import { cursorOf } from "./read-catalogs.js";
import { streamLabel } from "./stream-names.js";

/** A state pushed into the far future, the streams it covers, and what was pushed (`users.updated_at`). */
export interface DerivedFutureState {
  readonly state: AirbyteStateMessage[];
  readonly streams: ReadonlySet<string>;
  readonly pushed: readonly string[];
}

const FUTURE_YEAR = "2999";
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;
const MAX_DEPTH = 3;

/** The value moved into the future: a timestamp to the year 2999, a number to the largest safe one. */
function future(value: unknown): unknown {
  if (typeof value === "string" && DATE_LIKE.test(value)) return `${FUTURE_YEAR}${value.slice(4)}`;
  if (typeof value === "number") return Number.MAX_SAFE_INTEGER;
  return undefined;
}

/** A copy of `blob` with every `field` key holding a cursor-like value pushed, or undefined if none is. */
function pushField(blob: unknown, field: string, depth = 0): unknown {
  if (!isSchemaNode(blob) || depth > MAX_DEPTH) return undefined;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(blob)) {
    const pushed = key === field ? future(value) : pushField(value, field, depth + 1);
    copy[key] = pushed === undefined ? value : pushed;
    changed ||= pushed !== undefined;
  }
  return changed ? copy : undefined;
}

/** The latest STREAM state of each stream (or the last GLOBAL one): what a next read is handed. */
export function latestStates(states: readonly AirbyteStateMessage[]): AirbyteStateMessage[] {
  const latest = new Map<string, AirbyteStateMessage>();
  for (const state of states) {
    const descriptor = state.stream?.stream_descriptor;
    latest.set(
      state.type === "STREAM" && descriptor != null ? `s:${streamKey(descriptor)}` : "global",
      state,
    );
  }
  return [...latest.values()];
}

/**
 * A state "from the future" made from a read's last states, as Airbyte's `future_state` file
 * would be written by hand: where a stream's state holds its cursor field (`updated_at`), the
 * value moves to the year 2999 (numbers to the largest safe integer). The state stays opaque
 * otherwise, so this works only for sources that keep the cursor under its own name; undefined
 * when no stream does. Example: `deriveFutureState(latestStates(read.states), catalog)`.
 */
export function deriveFutureState(
  states: readonly AirbyteStateMessage[],
  catalog: ConfiguredAirbyteCatalog,
): DerivedFutureState | undefined {
  const byKey = new Map(catalog.streams.map((c) => [streamKey(c.stream), c]));
  const out: AirbyteStateMessage[] = [];
  const streams = new Set<string>();
  const pushed: string[] = [];
  for (const state of states) {
    const descriptor = state.stream?.stream_descriptor;
    if (state.type !== "STREAM" || state.stream == null || descriptor == null) continue;
    const configured = byKey.get(streamKey(descriptor));
    const field = configured === undefined ? undefined : cursorOf(configured).path?.at(-1);
    if (field === undefined) continue;
    const blob = pushField(state.stream.stream_state, field);
    if (blob === undefined) continue;
    out.push({ type: "STREAM", stream: { stream_descriptor: descriptor, stream_state: blob } });
    streams.add(streamKey(descriptor));
    pushed.push(`${streamLabel(descriptor)}.${field}`);
  }
  return out.length === 0 ? undefined : { state: out, streams, pushed };
}

/** The streams a STREAM state input covers; undefined for GLOBAL or legacy state (it covers all). */
export function streamsOfState(input: StateInput): ReadonlySet<string> | undefined {
  if (!Array.isArray(input)) return undefined;
  const keys = new Set<string>();
  for (const state of input) {
    const descriptor = state.stream?.stream_descriptor;
    if (state.type !== "STREAM" || descriptor == null) return undefined;
    keys.add(streamKey(descriptor));
  }
  return keys;
}
