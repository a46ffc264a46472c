import { formatCount, formatDuration } from "./number-formats.js";
import type { StreamCounters } from "./summary-view.js";

/** What the view draws: the runtime's progress callback argument. */
export interface ProgressSnapshot {
  readonly elapsedMs: number;
  readonly streams: readonly (StreamCounters & { readonly rowEstimate?: number | undefined })[];
}

/** Where the view writes: stderr, or a fake terminal in tests. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** Live progress of a sync, and the one place that writes lines to stderr while it runs. */
export interface ProgressView {
  update(snapshot: ProgressSnapshot): void;
  /** Prints a line (a connector warning) without tearing the live table. */
  line(text: string): void;
  /** Removes the live table, before the summary is printed. */
  finish(): void;
}

/**
 * `live`: a small per-stream table redrawn in place (a terminal); `lines`: a progress line every
 * few seconds (`--verbose` on a pipe); `quiet`: nothing but `line()`s.
 */
export type ProgressMode = "live" | "lines" | "quiet";

const RATE_WINDOW_MS = 2000;
const LINES_EVERY_MS = 5000;
const ERASE_LINE = "\u001b[2K";
const cursorUp = (n: number): string => `\u001b[${n}A`;

/** Records per second over the last two seconds, per stream. */
class RateMeter {
  readonly #samples = new Map<string, { at: number; records: number }[]>();

  /** `elapsedMs` (since the sync started) gives the first reading an average to show. */
  rate(key: string, at: number, records: number, elapsedMs: number): number {
    const samples = this.#samples.get(key) ?? [];
    samples.push({ at, records });
    while (samples.length > 2 && (samples[0]?.at ?? at) < at - RATE_WINDOW_MS) samples.shift();
    this.#samples.set(key, samples);
    const first = samples[0];
    if (first === undefined || at - first.at <= 0) return elapsedMs > 0 ? (records * 1000) / elapsedMs : 0;
    return ((records - first.records) * 1000) / (at - first.at);
  }
}

const keyOf = (s: { name: string; namespace: string | undefined }) =>
  s.namespace ? `${s.namespace}.${s.name}` : s.name;

function statusWord(status: StreamCounters["status"]): string {
  if (status === "COMPLETE") return "done";
  if (status === "INCOMPLETE") return "incomplete";
  if (status === "STARTED" || status === "RUNNING") return "running";
  return "waiting";
}

/**
 * Creates the view for a sync. Example:
 * `const view = createProgressView(process.stderr, process.stderr.isTTY ? "live" : "quiet")`
 */
export function createProgressView(out: ProgressOutput, mode: ProgressMode): ProgressView {
  const meter = new RateMeter();
  let drawn = 0;
  let frame: string[] = [];
  let lastLinesAt = 0;

  const erase = (): void => {
    if (drawn === 0) return;
    let text = `\r${cursorUp(drawn)}`;
    for (let i = 0; i < drawn; i++) text += `${ERASE_LINE}\n`;
    out.write(`${text}${cursorUp(drawn)}`);
    drawn = 0;
  };

  const draw = (): void => {
    if (frame.length === 0) return;
    // A line wider than the terminal wraps and breaks the cursor arithmetic, so it is cut.
    const width = Math.max(20, (out.columns || 80) - 1);
    out.write(`${frame.map((l) => `${ERASE_LINE}${l.slice(0, width)}`).join("\n")}\n`);
    drawn = frame.length;
  };

  const buildFrame = (snapshot: ProgressSnapshot, now: number): string[] => {
    const rows = snapshot.streams.map((s) => {
      const rate = meter.rate(keyOf(s), now, s.recordsEmitted, snapshot.elapsedMs);
      const estimate = s.rowEstimate ? ` / ~${formatCount(s.rowEstimate)}` : "";
      return {
        name: keyOf(s),
        records: `${formatCount(s.recordsEmitted)}${estimate}`,
        rate: s.status === "COMPLETE" || rate <= 0 ? "" : `${formatCount(rate)}/s`,
        status: statusWord(s.status),
        active: s.status === "STARTED" || s.status === "RUNNING",
      };
    });
    // Keep the table a few lines tall however many streams there are: running streams first.
    const room = Math.max(3, Math.min(15, (out.rows || 24) - 4));
    const shown =
      rows.length <= room
        ? rows
        : [...rows].sort((a, b) => Number(b.active) - Number(a.active)).slice(0, room - 1);
    const nameWidth = Math.max(6, ...shown.map((r) => r.name.length));
    const recordsWidth = Math.max(7, ...shown.map((r) => r.records.length));
    const rateWidth = Math.max(9, ...shown.map((r) => r.rate.length));
    const lines = shown.map(
      (r) =>
        `  ${r.name.padEnd(nameWidth)}  ${r.records.padStart(recordsWidth)}  ${r.rate.padStart(rateWidth)}  ${r.status}`,
    );
    if (shown.length < rows.length) lines.push(`  … and ${rows.length - shown.length} more streams`);
    const total = snapshot.streams.reduce((n, s) => n + s.recordsEmitted, 0);
    lines.push(`  syncing for ${formatDuration(snapshot.elapsedMs)}: ${formatCount(total)} records read`);
    return lines;
  };

  return {
    update(snapshot) {
      const now = Date.now();
      if (mode === "live") {
        frame = buildFrame(snapshot, now);
        erase();
        draw();
      } else if (mode === "lines") {
        const parts = snapshot.streams.map((s) => {
          const rate = meter.rate(keyOf(s), now, s.recordsEmitted, snapshot.elapsedMs);
          const detail = s.status === "COMPLETE" ? "done" : `${formatCount(rate)}/s`;
          return `${keyOf(s)} ${formatCount(s.recordsEmitted)} (${detail})`;
        });
        if (now - lastLinesAt >= LINES_EVERY_MS) {
          lastLinesAt = now;
          out.write(`[${formatDuration(snapshot.elapsedMs)}] ${parts.join(", ") || "starting"}\n`);
        }
      }
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
