import { rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { type ConnectorInvocation, stringifyExact } from "@weir/protocol";

/** A run's private directory and the arguments that name its files, e.g. `["read", "--config", "/tmp/weir-run-x/config.json", …]`. */
export interface RunDirectory {
  readonly path: string;
  readonly args: readonly string[];
}

// Directories of runs still going when this process exits (a crash, a `process.exit` in the
// CLI) are removed then: they hold configs with secrets.
const liveDirectories = new Set<string>();
let exitHookInstalled = false;

function removeLeftoversOnExit(): void {
  for (const path of liveDirectories) rmSync(path, { recursive: true, force: true });
}

function track(path: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", removeLeftoversOnExit);
  }
  liveDirectories.add(path);
}

/**
 * A new private temp directory (mkdtemp makes it 0700), removed by `removeRunDirectory` or at
 * the latest when this process exits. Example: `await createPrivateDirectory("weir-env-")`.
 */
export async function createPrivateDirectory(prefix: string): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  track(path);
  return path;
}

async function writePrivate(dir: string, name: string, value: unknown, seenIn: string | undefined) {
  // The config holds secrets: only this user may read it (the directory is 0700 too). State is
  // written as the text it was read as, big numbers included (see stringifyExact).
  await writeFile(join(dir, name), stringifyExact(value), { mode: 0o600 });
  return seenIn === undefined ? join(dir, name) : posix.join(seenIn, name);
}

/**
 * Creates a private temp directory (mode 0700) holding the invocation's config.json,
 * catalog.json and state.json (mode 0600) and returns the command line arguments naming them.
 * The state file is written only when there is a state, as Airbyte's platform does. `seenIn` is
 * where the connector finds the directory when that is not where it is (a container's mount point).
 * Example: `const { path, args } = await createRunDirectory({ command: "check", config })`.
 */
export async function createRunDirectory(
  invocation: ConnectorInvocation,
  seenIn?: string,
): Promise<RunDirectory> {
  const path = await createPrivateDirectory("weir-run-");
  try {
    const args: string[] = [invocation.command];
    if (invocation.command === "spec") return { path, args };
    args.push("--config", await writePrivate(path, "config.json", invocation.config, seenIn));
    if (invocation.command === "read" || invocation.command === "write") {
      args.push("--catalog", await writePrivate(path, "catalog.json", invocation.catalog, seenIn));
    }
    if (invocation.command === "read" && invocation.state !== undefined) {
      args.push("--state", await writePrivate(path, "state.json", invocation.state, seenIn));
    }
    return { path, args };
  } catch (error) {
    await removeRunDirectory(path);
    throw error;
  }
}

/** Removes a run (or private) directory and everything in it; a directory already gone is fine. */
export async function removeRunDirectory(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  liveDirectories.delete(path);
}
