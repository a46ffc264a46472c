import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Test support for the end-to-end tests: they run the built `weir` bin as a real child process.

/** The bin users run; it imports ../dist/main.js, so the package must be built. */
export const WEIR_BIN = fileURLToPath(new URL("../bin/weir.js", import.meta.url));

/** The fixture connectors' folder (`src/test-fixtures`, not copied to dist). */
export const FIXTURES_DIR = path.resolve(path.dirname(WEIR_BIN), "..", "src", "test-fixtures");

/** How one `weir` run ended and what it printed. */
export interface WeirRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A started `weir` process, for tests that signal it while it runs. */
export interface StartedWeir {
  readonly child: ChildProcess;
  readonly done: Promise<WeirRun>;
  /** Resolves once stderr or stdout contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

/** Starts `weir ARGS…` with a fresh environment on top of this one. */
export function startWeir(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): StartedWeir {
  const child = spawn(process.execPath, [WEIR_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (stdout.includes(waiter.text) || stderr.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    check();
  });
  child.stdin.on("error", () => undefined);
  child.stdin.end(options.input ?? "");
  const done = new Promise<WeirRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    done,
    waitForOutput(text, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`weir did not print ${JSON.stringify(text)}; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        check();
      });
    },
  };
}

/** Runs `weir ARGS…` to the end. */
export function runWeir(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<WeirRun> {
  return startWeir(args, options).done;
}

const createdFolders: string[] = [];

/** A temp folder holding the given files; `removeTempFolders` deletes them all. */
export async function tempFolder(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "weir-cli-"));
  createdFolders.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

/** The last line of stdout parsed as JSON: what `--json` promises. */
export function lastJson(run: WeirRun): Record<string, unknown> {
  const lines = run.stdout.trimEnd().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "null") as Record<string, unknown>;
}

/** Deletes every folder `tempFolder` made; call it from `afterAll`. */
export async function removeTempFolders(): Promise<void> {
  const folders = createdFolders.splice(0);
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
}
