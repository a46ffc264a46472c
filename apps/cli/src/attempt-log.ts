import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

/** One line of a sync's log, from a connector or from weir itself. */
export interface AttemptLogEntry {
  readonly origin: string;
  readonly level: string;
  readonly message: string;
  readonly at: number;
}

/** The log file of one sync attempt. */
export interface AttemptLog {
  readonly file: string;
  write(entry: AttemptLogEntry): void;
  close(): Promise<void>;
}

/**
 * `<state-dir>/logs/<pipeline>-<UTC timestamp>.log`, e.g. `quickstart-20250101T120000Z.log`.
 * Example: `attemptLogPath("/p/.weir", "quickstart", new Date())`.
 */
export function attemptLogPath(stateDir: string, pipelineBase: string, startedAt: Date): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return path.join(stateDir, "logs", `${pipelineBase}-${stamp}.log`);
}

// A connector may log megabytes in one message (a dumped record); the log keeps the start.
const MAX_MESSAGE_CHARS = 64 * 1024;

/** A log line: `2025-01-01T12:00:00.000Z WARN  source       message`, continuation lines indented. */
export function formatLogEntry(entry: AttemptLogEntry): string {
  let message = entry.message;
  if (message.length > MAX_MESSAGE_CHARS) {
    message = `${message.slice(0, MAX_MESSAGE_CHARS)}… (${message.length - MAX_MESSAGE_CHARS} more characters cut)`;
  }
  const head = `${new Date(entry.at).toISOString()} ${entry.level.padEnd(5)} ${entry.origin.padEnd(11)} `;
  return `${head}${message.replace(/\r?\n/g, `\n${" ".repeat(head.length)}`)}\n`;
}

/**
 * Opens a sync's log file; every line passes through `redact` first, so secrets never reach it.
 * Example: `const log = openAttemptLog(file, mask); log.write({ origin: "source", … }); await log.close()`.
 */
export function openAttemptLog(file: string, redact: (text: string) => string = (t) => t): AttemptLog {
  mkdirSync(path.dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: "a", mode: 0o600 });
  let failed: Error | undefined;
  stream.on("error", (error) => {
    failed = error;
  });
  return {
    file,
    write(entry) {
      if (failed !== undefined) return;
      stream.write(formatLogEntry({ ...entry, message: redact(entry.message) }));
    },
    close() {
      return new Promise((resolve) => {
        if (failed !== undefined) {
          resolve();
          return;
        }
        stream.end(() => resolve());
      });
    },
  };
}
