import type { AirbyteStreamStatus } from "@weir/protocol";
import { type CommandFailure, describeFailureCause } from "./command-failure.js";
import { formatBytes, formatCount, formatDuration, formatTable } from "./number-formats.js";

/** One stream's counters, as the runtime reports them. */
export interface StreamCounters {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly recordsEmitted: number;
  readonly recordsCommitted: number;
  readonly bytesEmitted: number;
  readonly status: AirbyteStreamStatus | undefined;
}

/** Everything the end of `weir sync` reports. */
export interface SyncReport {
  readonly status: "succeeded" | "failed" | "cancelled";
  readonly failure: CommandFailure | undefined;
  readonly durationMs: number;
  readonly streams: readonly StreamCounters[];
  readonly notes: readonly string[];
  readonly stateFile: string | undefined;
  readonly logFile: string | undefined;
}

/** The `--json` object: `{ status, failure?, duration_ms, streams, notes, state_file, log_file }`. */
export function syncReportJson(report: SyncReport): Record<string, unknown> {
  const json: Record<string, unknown> = {
    // A cancelled sync did not succeed; what stopped it is in `failure`.
    status: report.status === "succeeded" ? "succeeded" : "failed",
  };
  if (report.failure !== undefined) {
    json.failure = {
      type: report.failure.type,
      message: report.failure.message,
      origin: report.failure.origin,
    };
  }
  json.duration_ms = Math.round(report.durationMs);
  json.streams = report.streams.map((s) => ({
    name: s.name,
    namespace: s.namespace ?? null,
    records_emitted: s.recordsEmitted,
    records_committed: s.recordsCommitted,
    bytes_emitted: s.bytesEmitted,
  }));
  json.notes = report.notes;
  json.state_file = report.stateFile ?? null;
  json.log_file = report.logFile ?? null;
  return json;
}

const streamLabel = (s: { name: string; namespace: string | undefined }): string =>
  s.namespace ? `${s.namespace}.${s.name}` : s.name;

function streamStatus(s: StreamCounters, report: SyncReport): string {
  switch (s.status) {
    case "COMPLETE":
      return "complete";
    case "INCOMPLETE":
      return "incomplete";
    case "STARTED":
    case "RUNNING":
      return report.status === "succeeded" ? "running" : "incomplete";
    default:
      if (report.status === "succeeded") return "done";
      return s.recordsEmitted > 0 ? "incomplete" : "not started";
  }
}

/** Paints text when the output is a terminal that wants colour. */
export interface Paint {
  green(text: string): string;
  red(text: string): string;
  dim(text: string): string;
}

export const noPaint: Paint = { green: (t) => t, red: (t) => t, dim: (t) => t };

/** ANSI colours, unless NO_COLOR is set or the stream is not a terminal. */
export function paintFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Paint {
  if (!stream.isTTY || (env.NO_COLOR ?? "") !== "") return noPaint;
  return {
    green: (t) => `\u001b[32m${t}\u001b[39m`,
    red: (t) => `\u001b[31m${t}\u001b[39m`,
    dim: (t) => `\u001b[2m${t}\u001b[22m`,
  };
}

/** The one line that says how the sync ended, e.g. `✗ sync failed (config_error from source): …`. */
export function outcomeLine(
  report: Pick<SyncReport, "status" | "failure" | "durationMs" | "streams">,
  paint: Paint = noPaint,
): string {
  const committed = report.streams.reduce((n, s) => n + s.recordsCommitted, 0);
  const emitted = report.streams.reduce((n, s) => n + s.recordsEmitted, 0);
  if (report.status === "succeeded") {
    // Fewer committed than emitted on success: the destination confirmed less than it got.
    const count =
      committed < emitted ? `${formatCount(committed)} of ${formatCount(emitted)}` : formatCount(committed);
    return paint.green(
      `✓ sync succeeded in ${formatDuration(report.durationMs)}: ${count} records committed`,
    );
  }
  const verb = report.status === "cancelled" ? "cancelled" : "failed";
  const cause = report.failure === undefined ? "" : ` (${describeFailureCause(report.failure)})`;
  const message = report.failure?.message.split("\n").join("\n  ") ?? "no reason given";
  return paint.red(`✗ sync ${verb}${cause}: ${message}`);
}

/** The human summary: the stream table, the outcome line, notes and where state and log are. */
export function renderSyncReport(report: SyncReport, paint: Paint = noPaint): string {
  const lines: string[] = [];
  if (report.streams.length > 0) {
    const rows = report.streams.map((s) => [
      streamLabel(s),
      formatCount(s.recordsEmitted),
      formatCount(s.recordsCommitted),
      formatBytes(s.bytesEmitted),
      streamStatus(s, report),
    ]);
    if (report.streams.length > 1) {
      const sum = (f: (s: StreamCounters) => number) => report.streams.reduce((n, s) => n + f(s), 0);
      rows.push([
        "total",
        formatCount(sum((s) => s.recordsEmitted)),
        formatCount(sum((s) => s.recordsCommitted)),
        formatBytes(sum((s) => s.bytesEmitted)),
        "",
      ]);
    }
    lines.push(
      ...formatTable(["stream", "emitted", "committed", "bytes", "status"], rows, [
        false,
        true,
        true,
        true,
        false,
      ]),
    );
    lines.push("");
  }
  lines.push(outcomeLine(report, paint));
  for (const note of report.notes) lines.push(`  note: ${note}`);
  if (report.stateFile !== undefined) lines.push(paint.dim(`  state: ${report.stateFile}`));
  if (report.logFile !== undefined) lines.push(paint.dim(`  log:   ${report.logFile}`));
  return `${lines.join("\n")}\n`;
}
