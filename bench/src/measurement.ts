import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What one measured run reports: its own wall time and the peak memory of its process. */
export interface Measurement {
  readonly name: string;
  readonly seconds: number;
  readonly records: number;
  readonly bytes: number;
  readonly maxRssMb: number;
}

/** Prints a measurement as the one JSON line the parent reads; called inside a measured child. */
export function report(name: string, startedAt: bigint, records: number, bytes: number): void {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const measurement: Measurement = { name, seconds, records, bytes, maxRssMb };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

/**
 * Runs one measurement in a fresh Node process, so its peak memory is its own, `repeat` times,
 * and keeps the fastest (the least disturbed by a noisy machine).
 * Example: `await measureInChild(script, ["parse", file], 3)`.
 */
export async function measureInChild(
  script: string,
  args: readonly string[],
  repeat: number,
): Promise<Measurement> {
  let best: Measurement | undefined;
  for (let i = 0; i < repeat; i++) {
    const { stdout } = await run(process.execPath, [script, ...args], { maxBuffer: 16 << 20 });
    const last = stdout.trim().split("\n").at(-1) ?? "";
    const measurement = JSON.parse(last) as Measurement;
    if (best === undefined || measurement.seconds < best.seconds) best = measurement;
  }
  if (best === undefined) throw new Error("repeat must be at least 1");
  return best;
}

/** `12.3k rec/s  45.6 MB/s` for a table cell. */
export function rates(m: Measurement): { recordsPerSecond: number; mbPerSecond: number } {
  return { recordsPerSecond: m.records / m.seconds, mbPerSecond: m.bytes / 1e6 / m.seconds };
}
