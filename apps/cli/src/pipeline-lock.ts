import { unlinkSync } from "node:fs";
import { mkdir, open, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import type { Outcome } from "./command-failure.js";

/** A held lock; `release` is idempotent, and the lock is also released when the process exits. */
export interface PipelineLock {
  readonly file: string;
  release(): Promise<void>;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Makes sure only one `weir` command changes a pipeline's state at a time: two syncs of one
 * pipeline would commit states over each other. A lock left by a process that died is taken
 * over. Example: `const lock = await acquirePipelineLock("/p/.weir/quickstart.lock")`.
 */
export async function acquirePipelineLock(file: string): Promise<Outcome<PipelineLock>> {
  const unusable = (error: unknown): Outcome<never> => ({
    ok: false,
    failure: {
      type: "system_error",
      origin: "platform",
      message: `cannot use the state folder ${path.dirname(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    },
  });
  try {
    await mkdir(path.dirname(file), { recursive: true });
  } catch (error) {
    return unusable(error);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(
        `${JSON.stringify({ pid: process.pid, started_at: new Date().toISOString() })}\n`,
      );
      await handle.close();
      return { ok: true, value: holdLock(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return unusable(error);
    }
    const holder = await readHolder(file);
    if (holder !== undefined && isAlive(holder)) {
      return {
        ok: false,
        failure: {
          type: "transient_error",
          origin: "platform",
          message: `another weir command is using this pipeline's state (pid ${holder}, lock ${file}); wait for it to finish`,
        },
      };
    }
    await unlink(file).catch(() => undefined);
  }
  return {
    ok: false,
    failure: {
      type: "transient_error",
      origin: "platform",
      message: `could not take the lock ${file}: another weir command keeps taking it`,
    },
  };
}

async function readHolder(file: string): Promise<number | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    const pid = (parsed as { pid?: unknown }).pid;
    return typeof pid === "number" ? pid : undefined;
  } catch {
    // Unreadable or half-written by a process that died while creating it.
    return undefined;
  }
}

function holdLock(file: string): PipelineLock {
  let held = true;
  const onExit = (): void => {
    if (!held) return;
    held = false;
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once("exit", onExit);
  return {
    file,
    async release() {
      if (!held) return;
      held = false;
      process.removeListener("exit", onExit);
      await unlink(file).catch(() => undefined);
    },
  };
}
