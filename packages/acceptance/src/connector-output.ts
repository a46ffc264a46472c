import {
  type AirbyteErrorTraceMessage,
  type AirbyteLogMessage,
  AirbyteMessage,
  AirbyteMessageType,
  type AirbyteRecordMessage,
  type AirbyteStateMessage,
  type AirbyteStreamStatusTraceMessage,
  type ConnectorCommand,
  type ConnectorInvocation,
  type FailureType,
} from "@weir/protocol";
import { type ConnectorHandle, exitFailure, type RunExit, traceFailure } from "@weir/runtime";
import { failed, type Verdict } from "./check-recorder.js";
import { clip } from "./text-clip.js";

/** A line that looked like a protocol message but could not be read as one. */
export interface MalformedLine {
  /** The `type` it claimed, e.g. "CATALOG". */
  readonly type: string;
  readonly problem: string;
  /** It came on stderr, where no protocol message belongs. */
  readonly onStderr: boolean;
}

/** Everything one connector command printed, sorted by kind, and how it ended. */
export interface ConnectorOutput {
  readonly command: ConnectorCommand;
  /** Every message in order (records too, up to the cap). */
  readonly messages: readonly AirbyteMessage[];
  readonly records: readonly AirbyteRecordMessage[];
  readonly states: readonly AirbyteStateMessage[];
  readonly errors: readonly AirbyteErrorTraceMessage[];
  readonly statuses: readonly AirbyteStreamStatusTraceMessage[];
  readonly logs: readonly AirbyteLogMessage[];
  readonly malformed: readonly MalformedLine[];
  readonly exit: RunExit;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** More records than `maxRecords` came: the run was stopped there. */
  readonly overflowed: boolean;
  readonly timeoutMs: number;
  readonly maxRecords: number;
}

/** How to run a command for a check. */
export interface CollectOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly maxRecords: number;
  /** Sees every message as it arrives (protocol validation, secret scanning). */
  readonly observe?: ((message: AirbyteMessage, command: ConnectorCommand) => void) | undefined;
}

const MESSAGE_TYPES = new Set<string>(AirbyteMessageType.options);

/** The claimed type of a log line that holds a JSON object with a protocol `type`, if it does. */
function claimedType(text: string): { type: string; value: unknown } | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    const type = (value as { type?: unknown } | null)?.type;
    return typeof type === "string" && MESSAGE_TYPES.has(type) ? { type, value } : undefined;
  } catch {
    return undefined;
  }
}

function malformedOf(logs: readonly AirbyteLogMessage[], stderrTail: readonly string[]): MalformedLine[] {
  const out: MalformedLine[] = [];
  for (const log of logs) {
    const claimed = claimedType(log.message);
    if (claimed === undefined) continue;
    const parsed = AirbyteMessage.safeParse(claimed.value);
    const onStderr = stderrTail.includes(log.message);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    const problem =
      issue === undefined
        ? "a valid message, but not on stdout"
        : `${issue.path.join(".") || "(message)"}: ${issue.message}`;
    out.push({ type: claimed.type, problem, onStderr });
  }
  return out;
}

/**
 * Runs one command to the end and keeps what it printed. Never throws for the connector's
 * failures: they are in `exit`, `errors`, `timedOut`. Example:
 * `const output = await collectRun(handle, { command: "spec" }, { timeoutMs: 60_000, maxRecords: 0 })`
 */
export async function collectRun(
  handle: ConnectorHandle,
  invocation: ConnectorInvocation,
  options: CollectOptions,
): Promise<ConnectorOutput> {
  const run = handle.run(invocation);
  let timedOut = false;
  let overflowed = false;
  let cancelled = false;
  const timer = setTimeout(() => {
    timedOut = true;
    run.kill("timed out");
  }, options.timeoutMs);
  const onAbort = () => {
    cancelled = true;
    run.kill("cancelled");
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const messages: AirbyteMessage[] = [];
  const records: AirbyteRecordMessage[] = [];
  const states: AirbyteStateMessage[] = [];
  const errors: AirbyteErrorTraceMessage[] = [];
  const statuses: AirbyteStreamStatusTraceMessage[] = [];
  const logs: AirbyteLogMessage[] = [];
  try {
    for await (const batch of run.messages) {
      // Past the cap the run is being killed; what still comes is read and dropped.
      if (overflowed) continue;
      for (const message of batch) {
        messages.push(message);
        options.observe?.(message, invocation.command);
        if (message.type === "RECORD") {
          records.push(message.record);
          if (records.length > options.maxRecords) {
            overflowed = true;
            run.kill("too many records");
            break;
          }
        } else if (message.type === "STATE") states.push(message.state);
        else if (message.type === "LOG") logs.push(message.log);
        else if (message.type === "TRACE") {
          if (message.trace.type === "ERROR" && message.trace.error != null) errors.push(message.trace.error);
          if (message.trace.type === "STREAM_STATUS" && message.trace.stream_status != null) {
            statuses.push(message.trace.stream_status);
          }
        }
      }
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  const exit = await run.exit;
  return {
    command: invocation.command,
    messages,
    records,
    states,
    errors,
    statuses,
    logs,
    malformed: malformedOf(logs, exit.stderrTail),
    exit,
    timedOut,
    cancelled,
    overflowed,
    timeoutMs: options.timeoutMs,
    maxRecords: options.maxRecords,
  };
}

/** Why a run failed (killed, crashed, reported an error), or undefined when it ended cleanly. */
export function runFailure(
  output: ConnectorOutput,
  description: string,
): { readonly reason: string; readonly failureType: FailureType } | undefined {
  const command = output.command;
  if (output.cancelled) return { reason: "cancelled", failureType: "transient_error" };
  if (output.timedOut) {
    return {
      reason: `${description} did not finish ${command} within ${output.timeoutMs / 1000} s`,
      failureType: "transient_error",
    };
  }
  if (output.overflowed) {
    return {
      reason: `${command} emitted more than ${output.maxRecords.toLocaleString("en-US")} records and was stopped; test with a config that reads less`,
      failureType: "config_error",
    };
  }
  const error = output.errors[0];
  if (error !== undefined) {
    const failure = traceFailure(error, "source");
    return { reason: `${command} reported an error: ${clip(failure.message)}`, failureType: failure.type };
  }
  const exit = exitFailure(output.exit, "source", description);
  if (exit !== undefined) return { reason: `${command}: ${clip(exit.message, 400)}`, failureType: exit.type };
  return undefined;
}

/** The failed verdict of a run that did not end cleanly, or undefined. */
export function failedRun(output: ConnectorOutput, description: string): Verdict | undefined {
  const failure = runFailure(output, description);
  return failure === undefined ? undefined : failed(failure.reason, failure.failureType);
}

const quoted = (lines: readonly string[]): string =>
  lines
    .slice(-3)
    .map((line) => `"${clip(line, 200)}"`)
    .join(", ");

/**
 * Why the answer a command owes (`SPEC`, `CATALOG`…) is missing, as a failed verdict: the run's
 * own failure when it had one, else what it printed instead (nothing, stderr only, a broken line).
 */
export function missingAnswer(output: ConnectorOutput, wanted: string, description: string): Verdict {
  const broken = output.malformed.find((m) => m.type === wanted);
  if (broken?.onStderr === true) {
    return failed(`${description} wrote its ${wanted} message to stderr; the protocol reads only stdout`);
  }
  if (broken !== undefined) {
    return failed(`${description} printed a ${wanted} line that is not a valid message: ${broken.problem}`);
  }
  const failure = runFailure(output, description);
  if (failure !== undefined) return failed(`no ${wanted} message: ${failure.reason}`, failure.failureType);
  const said = output.messages.filter((m) => m.type !== "LOG");
  if (output.messages.length === 0) {
    return failed(`${description} exited 0 without printing anything (no ${wanted} message)`);
  }
  if (said.length === 0 && output.exit.stderrTail.length > 0) {
    return failed(
      `${description} printed no ${wanted} message on stdout, it only wrote to stderr: ${quoted(output.exit.stderrTail)}`,
    );
  }
  if (said.length === 0) {
    return failed(
      `${description} printed no ${wanted} message, only log lines: ${quoted(output.logs.map((l) => l.message))}`,
    );
  }
  const types = [...new Set(said.map((m) => m.type))].join(", ");
  return failed(`${description} printed no ${wanted} message (only ${types})`);
}
