import { describe, expect, it } from "vitest";
import { createProgressView, type ProgressSnapshot } from "./progress-view.js";

const snapshot = (records: number, status: "RUNNING" | "COMPLETE" = "RUNNING"): ProgressSnapshot => ({
  elapsedMs: 1500,
  streams: [
    {
      name: "users",
      namespace: undefined,
      recordsEmitted: records,
      recordsCommitted: 0,
      bytesEmitted: 0,
      status,
      rowEstimate: 1000,
    },
    {
      name: "products",
      namespace: undefined,
      recordsEmitted: 0,
      recordsCommitted: 0,
      bytesEmitted: 0,
      status: undefined,
    },
  ],
});

const terminal = () => {
  const writes: string[] = [];
  return { writes, out: { isTTY: true, columns: 80, rows: 24, write: (t: string) => writes.push(t) } };
};

const ESCAPE_SEQUENCE = new RegExp(`^${String.fromCharCode(27)}\\[(\\d*)([A-Za-z])`);

// Replays the cursor movements of the writes on a grid, as a terminal would show them.
function screen(writes: readonly string[]): string[] {
  const lines: string[] = [""];
  let row = 0;
  const text = writes.join("");
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\u001b") {
      const m = ESCAPE_SEQUENCE.exec(text.slice(i));
      if (m === null) continue;
      if (m[2] === "A") row = Math.max(0, row - Number(m[1] || 1));
      if (m[2] === "K") lines[row] = "";
      i += m[0].length - 1;
    } else if (c === "\n") {
      row++;
      if (lines[row] === undefined) lines[row] = "";
    } else if (c !== "\r") {
      lines[row] = (lines[row] ?? "") + c;
    }
  }
  return lines.filter((l) => l !== "");
}

describe("createProgressView", () => {
  it("redraws a per-stream table in place on a terminal and erases it at the end", () => {
    const { writes, out } = terminal();
    const view = createProgressView(out, "live");
    view.update(snapshot(100));
    view.update(snapshot(400));
    const shown = screen(writes);
    expect(shown).toHaveLength(3);
    expect(shown[0]).toMatch(/^ {2}users +400 \/ ~1,000 +\S*\/s +running$/);
    expect(shown[1]).toMatch(/^ {2}products +0 +waiting$/);
    expect(shown[2]).toBe("  syncing for 1.5 s: 400 records read");
    view.line("[source] WARN slow");
    expect(screen(writes)[0]).toBe("[source] WARN slow");
    expect(screen(writes)).toHaveLength(4);
    view.finish();
    expect(screen(writes)).toEqual(["[source] WARN slow"]);
  });

  it("prints nothing while running in quiet mode but still passes lines through", () => {
    const { writes, out } = terminal();
    const view = createProgressView({ ...out, isTTY: false }, "quiet");
    view.update(snapshot(100));
    view.line("[destination] ERROR disk full");
    view.finish();
    expect(writes).toEqual(["[destination] ERROR disk full\n"]);
  });

  it("prints a progress line at most every few seconds in lines mode", () => {
    const { writes, out } = terminal();
    const view = createProgressView(out, "lines");
    view.update(snapshot(100));
    view.update(snapshot(200, "COMPLETE"));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe("[1.5 s] users 100 (67/s), products 0 (0/s)\n");
  });
});
