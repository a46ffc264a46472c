import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConnectorInvocation, stringifyExact } from "@weir/protocol";

/** A run's private directory and the arguments that name its files, e.g. `["read", "--config", "/tmp/weir-run-x/config.json", …]`. */
export interface RunDirectory {
  readonly path: string;
  readonly args: readonly string[];
}

async function writePrivate(dir: string, name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  // The config holds secrets: only this user may read it (the directory is 0700 too). State is
  // written as the text it was read as, big numbers included (see stringifyExact).
  await writeFile(path, stringifyExact(value), { mode: 0o600 });
  return path;
}

/**
 * Creates a private temp directory (mode 0700) holding the invocation's config.json,
 * catalog.json and state.json (mode 0600) and returns the command line arguments naming them.
 * The state file is written only when there is a state, as Airbyte's platform does.
 * Example: `const { path, args } = await createRunDirectory({ command: "check", config })`.
 */
export async function createRunDirectory(invocation: ConnectorInvocation): Promise<RunDirectory> {
  const path = await mkdtemp(join(tmpdir(), "weir-run-"));
  try {
    const args: string[] = [invocation.command];
    if (invocation.command === "spec") return { path, args };
    args.push("--config", await writePrivate(path, "config.json", invocation.config));
    if (invocation.command === "read" || invocation.command === "write") {
      args.push("--catalog", await writePrivate(path, "catalog.json", invocation.catalog));
    }
    if (invocation.command === "read" && invocation.state !== undefined) {
      args.push("--state", await writePrivate(path, "state.json", invocation.state));
    }
    return { path, args };
  } catch (error) {
    await removeRunDirectory(path);
    throw error;
  }
}

/** Removes a run directory and everything in it; a directory already gone is fine. */
export async function removeRunDirectory(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
