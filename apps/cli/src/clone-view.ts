import type { CloneFailure, CloneOutcome, ClonePlan, CloneProgress, TableProgress } from "@weir/clone";
import { formatBytes, formatCount, formatDuration, formatTable } from "./number-formats.js";
import type { ProgressOutput } from "./progress-view.js";
import { noPaint, type Paint } from "./summary-view.js";

/** Live progress of a clone on a terminal: a few lines redrawn in place. */
export interface CloneProgressView {
  update(progress: CloneProgress): void;
  line(text: string): void;
  finish(): void;
}

const ERASE_LINE = "\u001b[2K";
const cursorUp = (n: number): string => `\u001b[${n}A`;
const quoteName = (name: string) =>
  /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
/** `public.users`, `"Sales"."Order Items"`. */
export const tableLabel = (t: { schema: string; name: string }) =>
  `${quoteName(t.schema)}.${quoteName(t.name)}`;

const PHASE_WORDS: Record<CloneProgress["phase"], string> = {
  connecting: "connecting",
  planning: "planning",
  schema: "creating the schema",
  copying: "copying",
  finishing: "creating views, triggers and comments",
  done: "done",
};

function statusText(t: TableProgress): string {
  if (t.status === "copying" && t.parts > 1) return `copying (${t.partsDone}/${t.parts} parts)`;
  return t.status;
}

/**
 * Draws a clone's progress: on a terminal (`live`) a table of the running tables, redrawn;
 * otherwise nothing but `line()`s. Example: `createCloneProgressView(process.stderr, "live")`.
 */
export function createCloneProgressView(out: ProgressOutput, mode: "live" | "quiet"): CloneProgressView {
  let drawn = 0;
  let frame: string[] = [];
  const erase = () => {
    if (drawn === 0) return;
    let text = `\r${cursorUp(drawn)}`;
    for (let i = 0; i < drawn; i++) text += `${ERASE_LINE}\n`;
    out.write(`${text}${cursorUp(drawn)}`);
    drawn = 0;
  };
  const draw = () => {
    if (frame.length === 0) return;
    const width = Math.max(20, (out.columns || 80) - 1);
    out.write(`${frame.map((l) => `${ERASE_LINE}${l.slice(0, width)}`).join("\n")}\n`);
    drawn = frame.length;
  };
  const build = (progress: CloneProgress): string[] => {
    const active = progress.tables.filter((t) => t.status === "copying" || t.status === "indexing");
    const room = Math.max(3, Math.min(12, (out.rows || 24) - 4));
    const rows = active
      .slice(0, room)
      .map((t) => [
        `  ${tableLabel(t)}`,
        `${formatCount(t.rows)}${t.estimatedRows > 0 ? ` / ~${formatCount(t.estimatedRows)}` : ""}`,
        formatBytes(t.bytes),
        statusText(t),
      ]);
    const lines =
      rows.length > 0
        ? formatTable(["  table", "rows", "bytes", "status"], rows, [false, true, true, false])
        : [];
    if (active.length > rows.length) lines.push(`  … and ${active.length - rows.length} more tables`);
    const done = progress.tables.filter((t) => t.status === "done").length;
    const moved = progress.tables.reduce((n, t) => n + t.bytes, 0);
    lines.push(
      `  ${PHASE_WORDS[progress.phase]} for ${formatDuration(progress.elapsedMs)}: ` +
        `${done} of ${progress.tables.length} tables done, ${formatBytes(moved)} copied`,
    );
    return lines;
  };
  return {
    update(progress) {
      if (mode !== "live") return;
      frame = build(progress);
      erase();
      draw();
    },
    line(text) {
      if (mode === "live") erase();
      out.write(text.endsWith("\n") ? text : `${text}\n`);
      if (mode === "live") draw();
    },
    finish() {
      if (mode === "live") erase();
      frame = [];
    },
  };
}

const maskedText = (plan: ClonePlan, table: { schema: string; name: string }): string => {
  const planned = plan.tables.find((t) => t.schema === table.schema && t.name === table.name);
  return (planned?.masked ?? [])
    .map((m) => `${m.column} (${m.mappers.join(", ")}${m.from === undefined ? "" : `, as ${m.from}`})`)
    .join(", ");
};

/** What a dry run prints: the tables with their rows and masked columns, the other objects, the notes. */
export function renderClonePlan(plan: ClonePlan): string {
  const rows = plan.tables.map((t) => [
    tableLabel(t),
    t.rows === "empty"
      ? "0 (empty)"
      : t.estimatedRows < 0
        ? "?"
        : `${t.rows === "subset" ? "" : "~"}${formatCount(t.estimatedRows)}`,
    formatBytes(t.bytes),
    t.rows === "subset" ? `subset (${t.subsetReason})` : t.rows,
    String(t.parts),
    maskedText(plan, t) || "-",
  ]);
  const c = plan.counts;
  const others = [
    [c.views, "views"],
    [c.materializedViews, "materialized views"],
    [c.sequences, "sequences"],
    [c.enums, "enums"],
    [c.domains, "domains"],
    [c.compositeTypes, "composite types"],
    [c.functions, "functions"],
    [c.indexes, "indexes"],
    [c.foreignKeys, "foreign keys"],
    [c.triggers, "triggers"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}`);
  const lines = [
    `clone ${plan.source} → ${plan.destination}`,
    `schemas: ${plan.schemas.map(quoteName).join(", ") || "none"}`,
    "",
    ...formatTable(["table", "rows", "size", "copy", "parts", "masked columns"], rows, [
      false,
      true,
      true,
      false,
      true,
      false,
    ]),
    "",
    `also: ${others.join(", ") || "nothing else"}`,
    ...plan.notes.map((n) => `note: ${n}`),
    "",
    "dry run: nothing was copied",
  ];
  return `${lines.join("\n")}\n`;
}

const failureCause = (failure: CloneFailure) =>
  failure.origin === "config" || failure.origin === "platform"
    ? failure.type
    : `${failure.type} from the ${failure.origin}`;

/** The summary after a clone: one line per table, a total, and how it ended. */
export function renderCloneReport(outcome: CloneOutcome, paint: Paint = noPaint): string {
  const report = outcome.report;
  const plan = report.plan;
  const rows = report.tables.map((t) => [
    tableLabel(t),
    formatCount(t.rows),
    formatBytes(t.bytes),
    plan === undefined ? "" : maskedText(plan, t),
    t.status,
  ]);
  const totalRows = report.tables.reduce((n, t) => n + t.rows, 0);
  const totalBytes = report.tables.reduce((n, t) => n + t.bytes, 0);
  const lines =
    rows.length === 0
      ? []
      : formatTable(
          ["table", "rows", "bytes", "masked", "status"],
          [...rows, ["total", formatCount(totalRows), formatBytes(totalBytes), "", ""]],
          [false, true, true, false, false],
        );
  for (const note of plan?.notes ?? []) lines.push(paint.dim(`note: ${note}`));
  if (lines.length > 0) lines.push("");
  const took = formatDuration(report.durationMs);
  if (outcome.ok) {
    lines.push(
      paint.green(
        `✓ clone succeeded in ${took}: ${report.tables.length} tables, ${formatCount(totalRows)} rows, ${formatBytes(totalBytes)}`,
      ),
    );
  } else {
    lines.push(
      paint.red(
        `✗ clone failed after ${took} (${failureCause(outcome.failure)}): ${outcome.failure.message}`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The `--json` object: `{ status, dry_run, failure?, duration_ms, tables: [...], plan }`. */
export function cloneReportJson(outcome: CloneOutcome): Record<string, unknown> {
  const report = outcome.report;
  const json: Record<string, unknown> = {
    status: outcome.ok ? "succeeded" : "failed",
    dry_run: report.dryRun,
  };
  if (!outcome.ok) {
    json.failure = {
      type: outcome.failure.type,
      origin: outcome.failure.origin,
      message: outcome.failure.message,
    };
  }
  json.duration_ms = report.durationMs;
  json.tables = report.tables.map((t) => ({
    schema: t.schema,
    name: t.name,
    status: t.status,
    rows: t.rows,
    bytes: t.bytes,
    estimated_rows: t.estimatedRows,
    parts: t.parts,
    masked: t.masked,
  }));
  json.totals = {
    tables: report.tables.length,
    rows: report.tables.reduce((n, t) => n + t.rows, 0),
    bytes: report.tables.reduce((n, t) => n + t.bytes, 0),
  };
  json.plan = report.plan ?? null;
  json.phase_ms = report.phaseMs;
  return json;
}
