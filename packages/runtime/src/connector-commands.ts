import type {
  AirbyteCatalog,
  AirbyteErrorTraceMessage,
  AirbyteMessage,
  ConnectorInvocation,
  ConnectorSpecification,
} from "@weir/protocol";
import type { ConnectorHandle } from "./connector-handle.js";
import { exitFailure, traceFailure } from "./failure.js";
import type { SyncFailure, SyncLogEntry } from "./sync-types.js";

/** An expected outcome as a value: what was asked for, or a classified failure. */
export type CommandOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: SyncFailure };

/** The answer of `check`: a connection that does not work is a value, not a failure. */
export interface ConnectionCheck {
  readonly status: "SUCCEEDED" | "FAILED";
  readonly message?: string;
}

export interface ConnectorCommandOptions {
  /** Which side the connector is, for the failure's origin. Default "source". */
  readonly side?: "source" | "destination";
  readonly signal?: AbortSignal;
  /** A command still running after this long is killed and fails as transient. Default 10 minutes. */
  readonly timeoutMs?: number;
  /** The connector's LOG messages (and stderr lines). */
  readonly onLog?: (entry: SyncLogEntry) => void;
}

const DEFAULT_TIMEOUT_MS = 600_000;

async function runCommand<T>(
  handle: ConnectorHandle,
  invocation: ConnectorInvocation,
  pick: (message: AirbyteMessage) => T | undefined,
  wanted: string,
  options: ConnectorCommandOptions,
  answerWins = false,
): Promise<CommandOutcome<T>> {
  const origin = options.side ?? "source";
  const run = handle.run(invocation);
  let timedOut = false;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => {
    timedOut = true;
    run.kill("timed out");
  }, timeoutMs);
  const onAbort = () => run.kill("cancelled");
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  let value: T | undefined;
  let error: AirbyteErrorTraceMessage | undefined;
  try {
    for await (const batch of run.messages) {
      for (const message of batch) {
        if (value === undefined) value = pick(message);
        if (message.type === "TRACE" && message.trace.type === "ERROR" && message.trace.error != null) {
          error ??= message.trace.error;
        } else if (message.type === "LOG") {
          options.onLog?.({ origin, level: message.log.level, message: message.log.message, at: Date.now() });
        }
      }
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  const exit = await run.exit;
  const command = invocation.command;
  if (timedOut) {
    return {
      ok: false,
      failure: {
        type: "transient_error",
        origin,
        message: `${handle.description} did not answer ${command} within ${timeoutMs / 1000} s`,
      },
    };
  }
  if (options.signal?.aborted) {
    return { ok: false, failure: { type: "transient_error", origin, message: "cancelled by the user" } };
  }
  if (value !== undefined && (answerWins || error === undefined)) return { ok: true, value };
  if (error !== undefined) return { ok: false, failure: traceFailure(error, origin) };
  const failure = exitFailure(exit, origin, handle.description) ?? {
    type: "system_error",
    origin,
    message: `${handle.description} answered ${command} without a ${wanted} message`,
  };
  return { ok: false, failure };
}

/**
 * Runs `spec`. Example: `const spec = await fetchSpec(handle); if (spec.ok) spec.value.connectionSpecification`.
 */
export function fetchSpec(
  handle: ConnectorHandle,
  options: ConnectorCommandOptions = {},
): Promise<CommandOutcome<ConnectorSpecification>> {
  return runCommand(
    handle,
    { command: "spec" },
    (m) => (m.type === "SPEC" ? m.spec : undefined),
    "SPEC",
    options,
  );
}

/**
 * Runs `check`; a connection that fails is `{ ok: true, value: { status: "FAILED", message } }`.
 * Example: `const check = await checkConnection(handle, config)`.
 */
export function checkConnection(
  handle: ConnectorHandle,
  config: unknown,
  options: ConnectorCommandOptions = {},
): Promise<CommandOutcome<ConnectionCheck>> {
  const pick = (m: AirbyteMessage): ConnectionCheck | undefined => {
    if (m.type !== "CONNECTION_STATUS") return undefined;
    const { status, message } = m.connectionStatus;
    return message == null ? { status } : { status, message };
  };
  // A FAILED status is the answer even when an error trace came with it: it is what the user reads.
  return runCommand(handle, { command: "check", config }, pick, "CONNECTION_STATUS", options, true);
}

/**
 * Runs `discover`. Example: `const catalog = await discoverCatalog(handle, config); if (catalog.ok) catalog.value.streams`.
 */
export function discoverCatalog(
  handle: ConnectorHandle,
  config: unknown,
  options: ConnectorCommandOptions = {},
): Promise<CommandOutcome<AirbyteCatalog>> {
  return runCommand(
    handle,
    { command: "discover", config },
    (m) => (m.type === "CATALOG" ? m.catalog : undefined),
    "CATALOG",
    options,
  );
}
