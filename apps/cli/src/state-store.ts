import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { AirbyteStateMessage, parseExactJson, stringifyExact } from "@weir/protocol";
import { z } from "zod";
import type { Outcome } from "./command-failure.js";

/** What a state file holds: the committed state of one pipeline. */
export interface StateFile {
  readonly version: 1;
  /** Absolute path of the pipeline file the state belongs to. */
  readonly pipeline: string;
  /** Committed state messages, as the source will get them with `--state`. */
  readonly state: readonly AirbyteStateMessage[];
  readonly updated_at: string;
}

const StateFileSchema = z.looseObject({
  version: z.literal(1),
  pipeline: z.string(),
  state: z.array(AirbyteStateMessage),
  updated_at: z.string(),
});

/**
 * Where a pipeline's state lives: `<state-dir>/<file name without extension>.state.json`.
 * Example: `stateFilePath("/p/.weir", "/p/quickstart.yaml")` // `/p/.weir/quickstart.state.json`
 */
export function stateFilePath(stateDir: string, pipelinePath: string): string {
  return path.join(stateDir, `${pipelineBaseName(pipelinePath)}.state.json`);
}

/** The pipeline file's name without its extension, which names its state, lock and logs. */
export function pipelineBaseName(pipelinePath: string): string {
  return path.basename(pipelinePath, path.extname(pipelinePath));
}

/** The default state folder: `.weir/` beside the pipeline file. */
export function defaultStateDir(pipelinePath: string): string {
  return path.join(path.dirname(pipelinePath), ".weir");
}

/**
 * Reads a state file; `undefined` when there is none yet. A damaged file is a system_error that
 * names it: it is never silently replaced, since that would re-read every stream from scratch.
 * Example: `const stored = await readStateFile(stateFilePath(dir, pipeline))`.
 */
export async function readStateFile(file: string): Promise<Outcome<StateFile | undefined>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, value: undefined };
    return damaged(file, `cannot read it: ${String(error)}`);
  }
  let json: unknown;
  try {
    // The text is kept: states go back to the source exactly as it wrote them (see stringifyExact).
    json = parseExactJson(text);
  } catch (error) {
    return damaged(file, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof json === "object" && json !== null && "version" in json && json.version !== 1) {
    return damaged(file, `version ${String(json.version)} is not supported by this weir (expected 1)`);
  }
  const parsed = StateFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return damaged(
      file,
      `unexpected content at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`,
    );
  }
  // The checked value itself, not the schema's copy of it, which has no remembered text.
  return { ok: true, value: json as StateFile };
}

const damaged = (file: string, why: string): Outcome<never> => ({
  ok: false,
  failure: {
    type: "system_error",
    origin: "platform",
    message: `state file ${file} is damaged: ${why}. Fix or delete it (deleting it makes the next sync start over).`,
  },
});

/**
 * Replaces the state file atomically: a crash at any moment leaves either the old file or the
 * new one, whole. Example: `await writeStateFile(file, { pipeline, state })`.
 */
export async function writeStateFile(
  file: string,
  content: { readonly pipeline: string; readonly state: readonly AirbyteStateMessage[] },
): Promise<void> {
  const body: StateFile = {
    version: 1,
    pipeline: content.pipeline,
    state: content.state,
    updated_at: new Date().toISOString(),
  };
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "w", 0o600);
    try {
      await handle.writeFile(`${stringifyExact(body, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // The rename is only durable once the folder's entry is on disk too.
  const folder = await open(dir, "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Deletes a state file; false when there was none. */
export async function deleteStateFile(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Writes a pipeline's committed states to its state file, never blocking the sync for long. */
export interface StateWriter {
  /** Schedules a write; resolves once this state, or a newer one, is durable. */
  write(state: readonly AirbyteStateMessage[]): Promise<void>;
  /** Resolves when nothing is left to write; rejects if the last write failed. */
  flush(): Promise<void>;
}

/**
 * Writes committed states in commit order, each write atomic and fsynced. A state committed
 * while a write is in progress waits, and is replaced by any newer one that comes meanwhile:
 * the file may lag behind the destination for a moment (the next run then re-reads a little,
 * which is safe) but never runs ahead of it, and a sync that commits thousands of times a
 * minute is not slowed down by thousands of fsyncs.
 * Example: `const writer = createStateWriter(file, pipeline); writer.write(state); await writer.flush()`.
 */
export function createStateWriter(file: string, pipeline: string): StateWriter {
  let next: readonly AirbyteStateMessage[] | undefined;
  let running: Promise<void> | undefined;
  const pump = async (): Promise<void> => {
    try {
      while (next !== undefined) {
        const state = next;
        next = undefined;
        await writeStateFile(file, { pipeline, state });
      }
    } finally {
      // Cleared in the same turn as the loop's last check, so a later write starts a new pump.
      running = undefined;
    }
  };
  return {
    write(state) {
      next = state;
      running ??= pump();
      return running;
    },
    flush() {
      return running ?? Promise.resolve();
    },
  };
}
