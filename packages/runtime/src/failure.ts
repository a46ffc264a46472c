import type { AirbyteErrorTraceMessage } from "@weir/protocol";
import type { RunExit } from "./connector-handle.js";
import type { SyncFailure, SyncOrigin } from "./sync-types.js";

const TAIL_IN_MESSAGE = 3;

// Stack frames (Node, Java, Python's "File …" lines stay: they name the code) and Node's
// version footer say nothing to a user; the lines that do are the error's own.
const NOISE = /^(\s+at\s|\s*\.\.\. \d+ more|Node\.js v\d)/;

function withTail(message: string, tail: readonly string[]): string {
  const last = tail
    .filter((line) => !NOISE.test(line))
    .slice(-TAIL_IN_MESSAGE)
    .join("\n");
  return last === "" ? message : `${message}: ${last}`;
}

/**
 * The failure a connector's exit means, or undefined for a clean exit (code 0). A failure the
 * transport saw (command not found, oversized line) keeps its type; a non-zero code or a signal
 * is a system_error quoting the end of stderr.
 * Example: `exitFailure({ code: 3, signal: null, stderrTail: ["boom"] }, "source", "source-x")`
 * → `{ type: "system_error", origin: "source", message: "source-x exited with code 3: boom", … }`.
 */
export function exitFailure(exit: RunExit, origin: SyncOrigin, description: string): SyncFailure | undefined {
  const internal = exit.stderrTail.length > 0 ? { internalMessage: exit.stderrTail.join("\n") } : {};
  if (exit.failure !== undefined) {
    const internalMessage = exit.failure.internalMessage ?? internal.internalMessage;
    return {
      type: exit.failure.type,
      origin,
      message: exit.failure.message,
      ...(internalMessage === undefined ? {} : { internalMessage }),
    };
  }
  if (exit.signal !== null) {
    return {
      type: "system_error",
      origin,
      message: withTail(`${description} was killed by ${exit.signal}`, exit.stderrTail),
      ...internal,
    };
  }
  if (exit.code !== 0) {
    const how = exit.code === null ? "ended without an exit code" : `exited with code ${exit.code}`;
    return {
      type: "system_error",
      origin,
      message: withTail(`${description} ${how}`, exit.stderrTail),
      ...internal,
    };
  }
  return undefined;
}

/**
 * The failure a TRACE ERROR reports; without a failure_type it is a system_error.
 * Example: `traceFailure({ message: "bad password", failure_type: "config_error" }, "source")`.
 */
export function traceFailure(error: AirbyteErrorTraceMessage, origin: SyncOrigin): SyncFailure {
  const failure: SyncFailure = { type: error.failure_type ?? "system_error", origin, message: error.message };
  return typeof error.internal_message === "string" && error.internal_message !== ""
    ? { ...failure, internalMessage: error.internal_message }
    : failure;
}
