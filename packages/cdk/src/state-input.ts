import { StateInput, streamKey } from "@weir/protocol";

/** A source's input state, ready to hand each stream its own part. */
export interface StreamStates {
  /** How the state was given; "none" on a first sync. */
  readonly kind: "none" | "stream" | "global" | "legacy";
  /** The opaque state of one stream, or undefined when it has none. */
  stateOf(descriptor: { readonly name: string; readonly namespace?: string | null | undefined }): unknown;
  /** GLOBAL state's `shared_state` (e.g. a CDC log position). */
  readonly sharedState: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const NO_STATE: StreamStates = { kind: "none", stateOf: () => undefined, sharedState: undefined };

function legacyStates(blob: unknown): StreamStates {
  if (blob === undefined || blob === null) return NO_STATE;
  // A legacy blob is opaque; by convention (source-faker's sample_state.json,
  // `{ "users": { "cursor": 0 } }`) it is keyed by stream name. Airbyte's Java database sources
  // wrote `{ cdc, streams: [{ stream_name, stream_namespace, cursor, … }] }` instead.
  const dbStreams = isObject(blob) && Array.isArray(blob.streams) ? blob.streams.filter(isObject) : [];
  return {
    kind: "legacy",
    stateOf: (d) => {
      if (isObject(blob) && Object.hasOwn(blob, d.name)) return blob[d.name];
      const key = streamKey(d);
      return dbStreams.find(
        (s) =>
          typeof s.stream_name === "string" &&
          streamKey({
            name: s.stream_name,
            namespace: typeof s.stream_namespace === "string" ? s.stream_namespace : null,
          }) === key,
      );
    },
    sharedState: undefined,
  };
}

/** Unwraps `{ type: "STATE", state: {...} }` envelopes, which some tools write into state files. */
function unwrapEnvelopes(input: unknown): unknown {
  if (!Array.isArray(input)) return input;
  return input.map((entry: unknown) =>
    isObject(entry) && entry.type === "STATE" && isObject(entry.state) ? entry.state : entry,
  );
}

/**
 * Reads a `--state` input: an array of AirbyteStateMessage (STREAM, GLOBAL or LEGACY) or a bare
 * legacy object keyed by stream name. Returns a problem instead when it is neither.
 * Example: `parseStateInput([{ type: "STREAM", stream: { stream_descriptor: { name: "users" }, stream_state: { cursor: 3 } } }]).states.stateOf({ name: "users" }) // { cursor: 3 }`
 */
export function parseStateInput(
  input: unknown,
): { readonly ok: true; readonly states: StreamStates } | { readonly ok: false; readonly message: string } {
  if (input === undefined || input === null) return { ok: true, states: NO_STATE };
  const parsed = StateInput.safeParse(unwrapEnvelopes(input));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined ? "" : ` (at ${issue.path.join(".") || "the top level"}: ${issue.message})`;
    return {
      ok: false,
      message: `The state is neither an array of state messages nor a legacy object${where}`,
    };
  }
  if (!Array.isArray(parsed.data)) return { ok: true, states: legacyStates(parsed.data) };
  if (parsed.data.length === 0) return { ok: true, states: NO_STATE };

  const perStream = new Map<string, unknown>();
  let kind: StreamStates["kind"] = "none";
  let sharedState: unknown;
  let legacy: unknown;
  for (const entry of parsed.data) {
    if ((entry.type === "STREAM" || entry.type == null) && entry.stream != null) {
      kind = "stream";
      perStream.set(streamKey(entry.stream.stream_descriptor), entry.stream.stream_state);
    } else if ((entry.type === "GLOBAL" || entry.type == null) && entry.global != null) {
      kind = "global";
      sharedState = entry.global.shared_state;
      for (const s of entry.global.stream_states)
        perStream.set(streamKey(s.stream_descriptor), s.stream_state);
    } else if (entry.data !== undefined) {
      legacy = entry.data;
    } else {
      return { ok: false, message: "A state message has none of stream, global or data" };
    }
  }
  // Typed states win over a legacy blob sent along with them.
  if (kind === "none") return { ok: true, states: legacyStates(legacy) };
  return {
    ok: true,
    states: {
      kind,
      stateOf: (d) => (perStream.has(streamKey(d)) ? perStream.get(streamKey(d)) : undefined),
      sharedState,
    },
  };
}
