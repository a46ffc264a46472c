import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { AirbyteStateMessage, StateInput } from "@weir/protocol";
import {
  mergeCommittedState,
  runSync,
  type SyncLogEntry,
  sourceStateInput,
  stateMessagesOf,
} from "@weir/runtime";
import { attemptLogPath, openAttemptLog } from "./attempt-log.js";
import type { CommandFailure } from "./command-failure.js";
import { pruneAttemptLogs } from "./log-retention.js";
import { loadPipelineFile } from "./pipeline-file.js";
import { acquirePipelineLock } from "./pipeline-lock.js";
import { createProgressView } from "./progress-view.js";
import { readStateOverride } from "./state-override.js";
import {
  createStateWriter,
  defaultStateDir,
  pipelineBaseName,
  readStateFile,
  stateFilePath,
} from "./state-store.js";
import { outcomeLine, paintFor, renderSyncReport, type SyncReport, syncReportJson } from "./summary-view.js";
import { prepareSync } from "./sync-preparation.js";

/** The options of `weir sync`. */
export interface SyncCommandOptions {
  readonly stateDir?: string | undefined;
  readonly fullRefresh: boolean;
  /** A state file to start from instead of the saved state (e.g. one Airbyte stored). */
  readonly state?: string | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
}

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
const LOUD_LEVELS = new Set(["WARN", "ERROR", "FATAL"]);
// A connector may log a whole record; the terminal gets the start, the log file the rest.
const MAX_TERMINAL_LOG_CHARS = 2000;

/**
 * `weir sync PIPELINE`: runs a pipeline once and reports; resolves to the exit code.
 * Example: `process.exitCode = await runSyncCommand("examples/quickstart.yaml", { fullRefresh: false, json: false, verbose: false })`.
 */
export async function runSyncCommand(pipelineArg: string, options: SyncCommandOptions): Promise<number> {
  const startedAt = Date.now();
  const invocationCwd = process.cwd();
  const shown = (file: string): string => {
    const relative = path.relative(invocationCwd, file);
    return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
  };
  const view = createProgressView(
    process.stderr,
    process.stderr.isTTY ? "live" : options.verbose ? "lines" : "quiet",
  );
  const maskers: ((text: string) => string)[] = [];
  const mask = (text: string): string => maskers.reduce((t, m) => m(t), text);
  const notes: string[] = [];

  const report = (partial: Partial<SyncReport> & Pick<SyncReport, "status">, exitCode: number): number => {
    view.finish();
    const full: SyncReport = {
      failure: undefined,
      durationMs: Date.now() - startedAt,
      streams: [],
      notes,
      stateFile: undefined,
      logFile: undefined,
      ...partial,
    };
    const masked: SyncReport =
      full.failure === undefined
        ? full
        : { ...full, failure: { ...full.failure, message: mask(full.failure.message) } };
    if (options.json) {
      if (masked.status !== "succeeded")
        process.stderr.write(`${outcomeLine(masked, paintFor(process.stderr))}\n`);
      process.stdout.write(`${JSON.stringify(syncReportJson(masked))}\n`);
    } else {
      const relative = {
        ...masked,
        stateFile: masked.stateFile === undefined ? undefined : shown(masked.stateFile),
        logFile: masked.logFile === undefined ? undefined : shown(masked.logFile),
      };
      process.stdout.write(renderSyncReport(relative, paintFor(process.stdout)));
    }
    return exitCode;
  };
  const fail = (failure: CommandFailure, more: Partial<SyncReport> = {}): number =>
    report({ status: "failed", failure, ...more }, 1);

  const loaded = await loadPipelineFile(pipelineArg);
  if (!loaded.ok) return fail(loaded.failure);
  let override: StateInput | undefined;
  if (options.state !== undefined && options.fullRefresh) {
    return fail({
      type: "config_error",
      origin: "platform",
      message: "--state and --full-refresh exclude each other: a full refresh reads without any state",
    });
  }
  if (options.state !== undefined) {
    const read = await readStateOverride(path.resolve(options.state));
    if (!read.ok) return fail(read.failure);
    override = read.value;
  }
  const pipeline = loaded.value;
  const stateDir =
    options.stateDir === undefined ? defaultStateDir(pipeline.path) : path.resolve(options.stateDir);
  const base = pipelineBaseName(pipeline.path);
  const stateFile = stateFilePath(stateDir, pipeline.path);
  const lock = await acquirePipelineLock(path.join(stateDir, `${base}.lock`));
  if (!lock.ok) return fail(lock.failure);
  if (options.stateDir === undefined) {
    // Keeps state and logs out of version control without touching the user's own .gitignore.
    await writeFile(path.join(stateDir, ".gitignore"), "*\n", { flag: "wx" }).catch(() => undefined);
  }
  const log = openAttemptLog(attemptLogPath(stateDir, base, new Date(startedAt)), mask);
  const files = { stateFile, logFile: log.file };
  const platformLog = (level: string, message: string) =>
    log.write({ origin: "platform", level, message, at: Date.now() });

  const onLog = (entry: SyncLogEntry): void => {
    log.write(entry);
    if (options.verbose || LOUD_LEVELS.has(entry.level)) {
      const text = mask(entry.message);
      const cut = text.length > MAX_TERMINAL_LOG_CHARS ? `${text.slice(0, MAX_TERMINAL_LOG_CHARS)}…` : text;
      view.line(`[${entry.origin}] ${entry.level} ${cut}`);
    }
  };

  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  let running = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined || !running) {
      // Nothing to drain yet, or the user insists: go now. The lock is released on exit.
      view.finish();
      process.stderr.write(`✗ sync ${running ? "stopped" : "cancelled"} by ${signal}, at once\n`);
      process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
    }
    stoppedBy = signal;
    platformLog(
      "WARN",
      `received ${signal}: stopping the source, committing what the destination has written`,
    );
    view.line(
      `stopping (${signal}): committing what the destination has written; press Ctrl-C again to quit at once`,
    );
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    platformLog("INFO", `weir sync ${pipeline.path}${options.fullRefresh ? " --full-refresh" : ""}`);
    // Connectors see the pipeline's folder as their working directory, in-process ones included,
    // so a relative path in a config means the same thing for a built-in and for a command.
    process.chdir(pipeline.dir);
    const stored = await readStateFile(stateFile);
    if (!stored.ok) return fail(stored.failure, files);
    const storedState: readonly AirbyteStateMessage[] =
      override === undefined ? (stored.value?.state ?? []) : stateMessagesOf(override);
    if (stored.value !== undefined && stored.value.pipeline !== pipeline.path) {
      notes.push(
        `the state file was written for ${stored.value.pipeline}; it now belongs to ${pipeline.path}`,
      );
    }
    const prepared = await prepareSync(pipeline, options, { addMasker: (m) => maskers.push(m), onLog });
    if (!prepared.ok) {
      platformLog("ERROR", prepared.failure.internalMessage ?? prepared.failure.message);
      return fail(prepared.failure, files);
    }
    platformLog(
      "INFO",
      `configured catalog: ${JSON.stringify(prepared.value.catalog.streams.map(describeStream))}`,
    );

    const writer = createStateWriter(stateFile, pipeline.path);
    let stateWriteFailure: CommandFailure | undefined;
    running = true;
    const result = await runSync({
      source: prepared.value.source,
      destination: prepared.value.destination,
      catalog: prepared.value.catalog,
      mappers: prepared.value.mappers,
      // --full-refresh reads everything again: the source gets no state.
      // A LEGACY state goes back as its bare blob; a --state file exactly as it was given.
      state: options.fullRefresh ? undefined : (override ?? sourceStateInput(storedState)),
      signal: controller.signal,
      heartbeatTimeoutMs: pipeline.heartbeatTimeoutMs,
      onStateCommitted: (state) => {
        // A full refresh commits stream by stream: streams it has not committed yet keep their
        // previous state, which still describes what the destination holds for them.
        const toStore = options.fullRefresh
          ? state.reduce<AirbyteStateMessage[]>((acc, m) => mergeCommittedState(acc, m), [...storedState])
          : state;
        writer.write(toStore).catch((error: unknown) => {
          stateWriteFailure ??= {
            type: "system_error",
            origin: "platform",
            message: `cannot write the state file ${stateFile}: ${(error as Error).message}`,
          };
          controller.abort(new Error("the state file cannot be written"));
        });
      },
      onProgress: (progress) => view.update(progress),
      onLog,
    });
    running = false;
    await prepared.value.closeMappers();
    await writer.flush().catch(() => undefined);
    notes.push(...result.notes.map(mask));
    const outcome = { durationMs: result.durationMs, streams: result.streams, ...files };
    if (stateWriteFailure !== undefined) return fail(stateWriteFailure, outcome);
    if (result.status === "cancelled" && stoppedBy !== undefined) {
      const failure: CommandFailure = {
        type: "transient_error",
        origin: "platform",
        message: `interrupted by ${stoppedBy}${stoppedBy === "SIGINT" ? " (Ctrl-C)" : ""}; what the destination committed is saved, and the next run resumes from there`,
      };
      platformLog("WARN", failure.message);
      return report({ status: "cancelled", failure, ...outcome }, SIGNAL_EXIT_CODES[stoppedBy] ?? 1);
    }
    if (result.status !== "succeeded") {
      const failure: CommandFailure = result.failure ?? {
        type: "system_error",
        origin: "platform",
        message: "the sync stopped without saying why",
      };
      platformLog("ERROR", `sync failed: ${failure.internalMessage ?? failure.message}`);
      return fail(failure, outcome);
    }
    platformLog("INFO", "sync succeeded");
    return report({ status: "succeeded", ...outcome }, 0);
  } finally {
    running = false;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await log.close();
    await lock.value.release();
    await pruneAttemptLogs(path.dirname(log.file), base);
  }
}

function describeStream(s: {
  stream: { name: string; namespace?: string | null | undefined };
  sync_mode: string;
  destination_sync_mode: string;
  cursor_field?: string[] | null | undefined;
  primary_key?: string[][] | null | undefined;
}): string {
  const name = s.stream.namespace ? `${s.stream.namespace}.${s.stream.name}` : s.stream.name;
  const cursor = s.cursor_field?.length ? ` cursor=${s.cursor_field.join(".")}` : "";
  const key = s.primary_key?.length ? ` key=${s.primary_key.map((k) => k.join(".")).join(",")}` : "";
  return `${name}: ${s.sync_mode} / ${s.destination_sync_mode}${cursor}${key}`;
}
