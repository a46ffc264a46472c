import { stat } from "node:fs/promises";
import path from "node:path";
import type { AirbyteStateMessage } from "@weir/protocol";
import { type CommandFailure, describeFailureCause } from "./command-failure.js";
import { formatTable } from "./number-formats.js";
import { acquirePipelineLock } from "./pipeline-lock.js";
import { removeStreamState } from "./remove-stream-state.js";
import {
  defaultStateDir,
  deleteStateFile,
  pipelineBaseName,
  readStateFile,
  stateFilePath,
  writeStateFile,
} from "./state-store.js";

/** Options shared by `weir state show` and `weir state reset`. */
export interface StateCommandOptions {
  readonly stateDir?: string | undefined;
}

const MAX_SHOWN_STATE_CHARS = 200;

const printFailure = (failure: CommandFailure): number => {
  process.stderr.write(`✗ ${describeFailureCause(failure)}: ${failure.message}\n`);
  return 1;
};

async function locate(
  pipelineArg: string,
  options: StateCommandOptions,
): Promise<
  { ok: true; pipeline: string; stateDir: string; file: string } | { ok: false; failure: CommandFailure }
> {
  const pipeline = path.resolve(pipelineArg);
  try {
    await stat(pipeline);
  } catch {
    return {
      ok: false,
      failure: { type: "config_error", origin: "pipeline", message: `${pipelineArg}: no such pipeline file` },
    };
  }
  const stateDir =
    options.stateDir === undefined ? defaultStateDir(pipeline) : path.resolve(options.stateDir);
  return { ok: true, pipeline, stateDir, file: stateFilePath(stateDir, pipeline) };
}

const compact = (value: unknown): string => {
  const text = value === undefined ? "(none)" : JSON.stringify(value);
  return text.length > MAX_SHOWN_STATE_CHARS ? `${text.slice(0, MAX_SHOWN_STATE_CHARS - 1)}…` : text;
};

const label = (d: { name: string; namespace?: string | null | undefined }) =>
  d.namespace ? `${d.namespace}.${d.name}` : d.name;

/** Rows of `stream  state` for every entry of a stored state. */
export function describeStoredState(state: readonly AirbyteStateMessage[]): string[] {
  const rows: string[][] = [];
  for (const message of state) {
    if (message.type === "STREAM" && message.stream) {
      rows.push([label(message.stream.stream_descriptor), "stream", compact(message.stream.stream_state)]);
    } else if (message.type === "GLOBAL" && message.global) {
      rows.push(["(shared)", "global", compact(message.global.shared_state)]);
      for (const s of message.global.stream_states)
        rows.push([label(s.stream_descriptor), "global", compact(s.stream_state)]);
    } else {
      rows.push(["(all streams)", "legacy", compact(message.data)]);
    }
  }
  return formatTable(["stream", "type", "state"], rows, [false, false, false]);
}

/**
 * `weir state show PIPELINE [--json]`: the committed state, one line per stream, or the raw
 * file with `--json`. Example: `await runStateShow("examples/quickstart.yaml", { json: false })`.
 */
export async function runStateShow(
  pipelineArg: string,
  options: StateCommandOptions & { readonly json: boolean },
): Promise<number> {
  const where = await locate(pipelineArg, options);
  if (!where.ok) return printFailure(where.failure);
  const stored = await readStateFile(where.file);
  if (!stored.ok) return printFailure(stored.failure);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(stored.value ?? null, null, 2)}\n`);
    return 0;
  }
  if (stored.value === undefined || stored.value.state.length === 0) {
    process.stdout.write(
      `no state yet for ${pipelineArg}: the next sync reads every stream from the start\n`,
    );
    process.stdout.write(`  (looked for ${path.relative(process.cwd(), where.file) || where.file})\n`);
    return 0;
  }
  const lines = [
    `state of ${pipelineArg}, committed ${stored.value.updated_at}`,
    `  file: ${path.relative(process.cwd(), where.file)}`,
    "",
    ...describeStoredState(stored.value.state),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/**
 * `weir state reset PIPELINE [--stream NAME]`: forgets the whole state, or one stream's, so the
 * next sync reads it from the start. The destination's data is not touched.
 * Example: `await runStateReset("examples/quickstart.yaml", { stream: "users" })`.
 */
export async function runStateReset(
  pipelineArg: string,
  options: StateCommandOptions & { readonly stream?: string | undefined },
): Promise<number> {
  const where = await locate(pipelineArg, options);
  if (!where.ok) return printFailure(where.failure);
  const lock = await acquirePipelineLock(
    path.join(where.stateDir, `${pipelineBaseName(where.pipeline)}.lock`),
  );
  if (!lock.ok) return printFailure(lock.failure);
  try {
    const stored = await readStateFile(where.file);
    if (!stored.ok) return printFailure(stored.failure);
    if (stored.value === undefined) {
      process.stdout.write(`nothing to reset: ${pipelineArg} has no state yet\n`);
      return 0;
    }
    const untouched = "the destination's data is unchanged";
    if (options.stream === undefined) {
      await deleteStateFile(where.file);
      process.stdout.write(
        `reset ${pipelineArg}: the next sync reads every stream from the start (${untouched})\n`,
      );
      return 0;
    }
    const kept = removeStreamState(stored.value.state, options.stream);
    if (!kept.ok) return printFailure(kept.failure);
    await writeStateFile(where.file, { pipeline: where.pipeline, state: kept.value });
    process.stdout.write(
      `reset stream ${options.stream} of ${pipelineArg}: the next sync reads it from the start (${untouched})\n`,
    );
    return 0;
  } finally {
    await lock.value.release();
  }
}
