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
  /** Records the stream's mappers filtered out. */
  readonly recordsFiltered?: number;
  /** Records that did not match the stream's schema. */
  readonly recordsInvalid?: number;
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
    records_filtered: s.recordsFiltered ?? 0,
    records_invalid: s.recordsInvalid ?? 0,
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
    // Mapper columns only when a mapper filtered or found something: most syncs have none.
    const extra = (
      [
        ["filtered", (s: StreamCounters) => s.recordsFiltered ?? 0],
        ["invalid", (s: StreamCounters) => s.recordsInvalid ?? 0],
      ] as const
    ).filter(([, count]) => report.streams.some((s) => count(s) > 0));
    const row = (label: string, pick: (f: (s: StreamCounters) => number) => number, status: string) => [
      label,
      formatCount(pick((s) => s.recordsEmitted)),
      formatCount(pick((s) => s.recordsCommitted)),
      ...extra.map(([, count]) => formatCount(pick(count))),
      formatBytes(pick((s) => s.bytesEmitted)),
      status,
    ];
    const rows = report.streams.map((s) => row(streamLabel(s), (f) => f(s), streamStatus(s, report)));
    if (report.streams.length > 1) {
      rows.push(row("total", (f) => report.streams.reduce((n, s) => n + f(s), 0), ""));
    }
    const headers = ["stream", "emitted", "committed", ...extra.map(([name]) => name), "bytes", "status"];
    lines.push(
      ...formatTable(
        headers,
        rows,
        headers.map((h) => h !== "stream" && h !== "status"),
      ),
    );
    lines.push("");
  }
  lines.push(outcomeLine(report, paint));
  for (const note of report.notes) lines.push(`  note: ${note}`);
  if (report.stateFile !== undefined) lines.push(paint.dim(`  state: ${report.stateFile}`));
  if (report.logFile !== undefined) lines.push(paint.dim(`  log:   ${report.logFile}`));
  return `${lines.join("\n")}\n`;
}
