import type { AirbyteStateMessage } from "@weir/protocol";
import type { Outcome } from "./command-failure.js";

/** The streams a stored state holds an entry for, as `name` or `namespace.name`. */
export function statedStreamNames(state: readonly AirbyteStateMessage[]): string[] {
  const names: string[] = [];
  const add = (d: { name: string; namespace?: string | null | undefined }) =>
    names.push(d.namespace ? `${d.namespace}.${d.name}` : d.name);
  for (const message of state) {
    if (message.type === "STREAM" && message.stream) add(message.stream.stream_descriptor);
    else if (message.type === "GLOBAL" && message.global) {
      for (const s of message.global.stream_states) add(s.stream_descriptor);
    }
  }
  return names;
}

const matches = (d: { name: string; namespace?: string | null | undefined }, stream: string): boolean =>
  d.name === stream || (d.namespace ? `${d.namespace}.${d.name}` === stream : false);

/**
 * Removes one stream's entry from a stored state (`name`, or `namespace.name`): its STREAM
 * state, or its entry in a GLOBAL state's `stream_states`. LEGACY state is one opaque blob and
 * cannot be reset per stream. Example: `removeStreamState(stored.state, "users")`.
 */
export function removeStreamState(
  state: readonly AirbyteStateMessage[],
  stream: string,
): Outcome<AirbyteStateMessage[]> {
  if (state.some((m) => m.type === "LEGACY" || m.type == null)) {
    return {
      ok: false,
      failure: {
        type: "config_error",
        origin: "platform",
        message:
          "the stored state is LEGACY state, one opaque blob for the whole source: it cannot be reset for one stream. Reset the whole pipeline instead (without --stream).",
      },
    };
  }
  let removed = 0;
  const kept: AirbyteStateMessage[] = [];
  for (const message of state) {
    if (message.type === "STREAM" && message.stream && matches(message.stream.stream_descriptor, stream)) {
      removed++;
      continue;
    }
    if (message.type === "GLOBAL" && message.global) {
      const streamStates = message.global.stream_states.filter((s) => !matches(s.stream_descriptor, stream));
      removed += message.global.stream_states.length - streamStates.length;
      kept.push({ ...message, global: { ...message.global, stream_states: streamStates } });
      continue;
    }
    kept.push(message);
  }
  if (removed === 0) {
    const names = statedStreamNames(state);
    return {
      ok: false,
      failure: {
        type: "config_error",
        origin: "platform",
        message: `no stored state for stream ${stream} (streams with state: ${names.length > 0 ? names.join(", ") : "none"})`,
      },
    };
  }
  return { ok: true, value: kept };
}
