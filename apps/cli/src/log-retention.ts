import { readdir, unlink } from "node:fs/promises";
import path from "node:path";

/** How many attempt logs of one pipeline are kept. */
export const KEPT_ATTEMPT_LOGS = 20;

/**
 * Deletes all but the newest attempt logs of a pipeline, so a pipeline run every few minutes
 * does not fill the disk. Names sort by time (`<pipeline>-<UTC timestamp>.log`).
 * Example: `await pruneAttemptLogs("/p/.weir/logs", "quickstart")`.
 */
export async function pruneAttemptLogs(
  folder: string,
  pipelineBase: string,
  keep = KEPT_ATTEMPT_LOGS,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const pattern = new RegExp(`^${pipelineBase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d{8}T\\d{6}Z\\.log$`);
  const logs = names.filter((n) => pattern.test(n)).sort();
  const old = logs.slice(0, Math.max(0, logs.length - keep));
  await Promise.all(old.map((n) => unlink(path.join(folder, n)).catch(() => undefined)));
  return old;
}
