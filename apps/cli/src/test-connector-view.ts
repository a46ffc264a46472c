import type { AcceptanceReport, CheckResult } from "@weir/acceptance";
import { formatDuration } from "./number-formats.js";
import { noPaint, type Paint } from "./summary-view.js";

const MARKS = { passed: "✓", failed: "✗", skipped: "–" } as const;

const phaseLabel = (phase: string): string => phase.replace(/_/g, " ");

/**
 * One check as a line: `✓ spec: declares protocol_version (0.18.0) 2 ms`; a failure says its
 * class: `✗ read: records conform to their stream's schema (system_error: users: /age must be integer) 40 ms`.
 */
export function checkLine(result: CheckResult, paint: Paint = noPaint): string {
  const config = result.config === undefined ? "" : ` [${result.config}]`;
  const why =
    result.reason === undefined
      ? ""
      : result.status === "failed" && result.failureType !== undefined
        ? ` (${result.failureType}: ${result.reason})`
        : ` (${result.reason})`;
  const text = `${MARKS[result.status]} ${phaseLabel(result.phase)}: ${result.title}${config}${why}`;
  const painted =
    result.status === "passed" ? text : result.status === "failed" ? paint.red(text) : paint.dim(text);
  return `${painted} ${paint.dim(`${result.durationMs} ms`)}`;
}

/** The last line: `✓ built-in source-faker passed: 31 passed, 2 skipped in 1.7 s`. */
export function summaryLine(report: AcceptanceReport, paint: Paint = noPaint): string {
  const { passed, failed, skipped } = report.summary;
  const counts = `${passed} passed, ${failed} failed, ${skipped} skipped in ${formatDuration(report.durationMs)}`;
  if (report.status === "passed") return paint.green(`✓ ${report.connector} passed: ${counts}`);
  if (report.status === "cancelled") return paint.red(`✗ ${report.connector}: cancelled; ${counts}`);
  return paint.red(`✗ ${report.connector} failed: ${counts}`);
}

/** The `--json` object: `{ status, connector, kind, duration_ms, checks: [...], summary: { passed, failed, skipped } }`. */
export function acceptanceReportJson(report: AcceptanceReport): Record<string, unknown> {
  return {
    status: report.status,
    connector: report.connector,
    kind: report.kind ?? null,
    duration_ms: report.durationMs,
    checks: report.checks.map((c) => ({
      id: c.id,
      phase: c.phase,
      title: c.title,
      status: c.status,
      ...(c.reason === undefined ? {} : { reason: c.reason }),
      ...(c.failureType === undefined ? {} : { failure_type: c.failureType }),
      ...(c.config === undefined ? {} : { config: c.config }),
      duration_ms: c.durationMs,
    })),
    summary: report.summary,
  };
}
