import { type ChildProcess, spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { waitForDrain } from "@weir/cdk";
import {
  type AirbyteMessage,
  type ConnectorInvocation,
  DEFAULT_MAX_LINE_BYTES,
  encodeMessageBytes,
  LineSplitter,
  logMessage,
  MessageDecoder,
  type SplitLine,
} from "@weir/protocol";
import type { ConnectorHandle, ConnectorRun, RunExit, RunFailure } from "./connector-handle.js";
import { MessageQueue } from "./message-queue.js";
import { reapGroup, signalGroup, trackGroup, untrackGroup } from "./process-group.js";
import { createRunDirectory, type RunDirectory, removeRunDirectory } from "./run-directory.js";
import { STOPPED, StopLatch } from "./stop-latch.js";

/** How to run a local program that speaks the Airbyte Protocol over stdio. */
export interface ProcessHandleOptions {
  /** The program and its first arguments; the command (`read --config …`) is appended. */
  readonly command: readonly string[];
  readonly cwd?: string | undefined;
  /** The whole environment of the process (as with `child_process.spawn`); default: Weir's own. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** For logs and errors; default: the command line. */
  readonly description?: string | undefined;
  /** Time between SIGTERM and SIGKILL when the run is killed. Default 5000 ms. */
  readonly killGraceMs?: number | undefined;
  /** Longest stdout line accepted; a longer one fails the run. Default: the protocol's limit. */
  readonly maxLineBytes?: number | undefined;
}

/** What every run of a handle shares, whatever starts its process. */
export type RunLimits = Pick<ProcessHandleOptions, "killGraceMs" | "maxLineBytes">;

/** A process ready to start: what to spawn, and what else to do when it is killed or gone. */
export interface LaunchedProcess {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd?: string | undefined;
  /** The whole environment of the process; default: Weir's own. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Called once when the run is killed after its process started, besides the signals to its group. */
  onKill?(graceMs: number): void;
  /**
   * Called once when the process has exited or could not start: releases what the launch holds
   * (a container) and may explain the exit (a runtime's own error). Its result is the run's exit.
   */
  finish?(exit: RunExit, killed: boolean): Promise<RunExit>;
}

/**
 * How a run's process is started from its run directory: the process handle runs the command
 * itself, the container handle runs `podman run … IMAGE` (see container-handle.ts).
 */
export interface ProcessLauncher {
  /** Where the process finds the run's files (a container's mount point); default: where they are. */
  readonly filesSeenIn?: string | undefined;
  /** Expected problems (no such image) are failures; `signal` aborts when the run is killed meanwhile. */
  launch(
    dir: RunDirectory,
    signal: AbortSignal,
  ): Promise<{ ok: true; value: LaunchedProcess } | { ok: false; failure: RunFailure }>;
}

const DEFAULT_KILL_GRACE_MS = 5000;
const STDERR_TAIL_LINES = 20;
const STDERR_MAX_LINE_BYTES = 64 * 1024;
const MAX_LOGGED_LINE_CHARS = 16 * 1024;

const clip = (text: string): string =>
  text.length <= MAX_LOGGED_LINE_CHARS
    ? text
    : `${text.slice(0, MAX_LOGGED_LINE_CHARS)}… (${text.length - MAX_LOGGED_LINE_CHARS} more characters)`;

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

function spawnFailure(error: Error, file: string): RunFailure {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return { type: "config_error", message: `command not found: ${file}` };
  if (code === "EACCES") return { type: "config_error", message: `command is not executable: ${file}` };
  return { type: "system_error", message: `cannot start ${file}: ${error.message}` };
}

/** Resolves on 'drain', or when the stream closed, failed, or the process is gone. */
function drained(stream: Writable, exited: StopLatch): Promise<unknown> {
  // The listeners go when the stream drains or closes, which a dead process's stdin soon does.
  return stream.destroyed ? Promise.resolve() : exited.race(waitForDrain(stream));
}

/** Lets an input's producer know nobody reads it any more, without waiting for it. */
function releaseInput(iterator: AsyncIterator<unknown>): void {
  iterator.return?.()?.catch(() => undefined);
}

class ProcessRun {
  readonly messages = new MessageQueue({ maxBatches: 8 });
  readonly exit: Promise<RunExit>;
  readonly #tail: string[] = [];
  readonly #grace: number;
  #child: ChildProcess | undefined;
  readonly #launching = new AbortController();
  #launched: LaunchedProcess | undefined;
  #finished = false;
  #killed = false;
  #exited = false;
  #killTimer: NodeJS.Timeout | undefined;
  #failure: RunFailure | undefined;
  #inputStarted = false;

  constructor(
    private readonly launcher: ProcessLauncher,
    private readonly description: string,
    private readonly options: RunLimits,
    private readonly invocation: ConnectorInvocation,
    signal: AbortSignal | undefined,
  ) {
    this.#grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    const onAbort = () => this.kill();
    if (signal?.aborted) this.#killed = true;
    else signal?.addEventListener("abort", onAbort, { once: true });
    this.exit = this.#execute().finally(() => signal?.removeEventListener("abort", onAbort));
  }

  kill(): void {
    if (this.#killed) return;
    this.#killed = true;
    this.#launching.abort();
    const pid = this.#child?.pid;
    // Before the spawn, the run sees the flag and never starts; after the exit, reaping does the rest.
    if (pid === undefined || this.#exited) return;
    this.#launched?.onKill?.(this.#grace);
    signalGroup(pid, "SIGTERM");
    this.#killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), this.#grace);
  }

  async #execute(): Promise<RunExit> {
    let dir: RunDirectory | undefined;
    try {
      dir = await createRunDirectory(this.invocation, this.launcher.filesSeenIn);
      if (this.#killed) return this.#ended(null, "SIGTERM");
      const launch = await this.launcher.launch(dir, this.#launching.signal);
      if (launch.ok) this.#launched = launch.value;
      // Killed while launching (a pull): what stopped it is the kill, whatever the launch says.
      if (this.#killed) return await this.#finish(this.#ended(null, "SIGTERM"));
      if (!launch.ok) return await this.#finish(this.#ended(null, null, launch.failure));
      return await this.#finish(await this.#spawnAndWait(launch.value));
    } catch (error) {
      // Writing the run's files failed (no temp dir, disk full): a problem of this machine.
      const message = error instanceof Error ? error.message : String(error);
      return this.#ended(null, null, {
        type: "system_error",
        message: `cannot prepare the run of ${this.description}: ${message}`,
      });
    } finally {
      clearTimeout(this.#killTimer);
      // Whatever went wrong above, what the launch holds (a container) is released.
      if (!this.#finished) await this.#finish(this.#ended(null, null)).catch(() => undefined);
      if (dir !== undefined) await removeRunDirectory(dir.path).catch(() => undefined);
      this.messages.close();
      if (this.invocation.command === "write" && !this.#inputStarted) {
        releaseInput(this.invocation.input[Symbol.asyncIterator]());
      }
    }
  }

  async #finish(exit: RunExit): Promise<RunExit> {
    this.#finished = true;
    const finish = this.#launched?.finish;
    return finish === undefined ? exit : await finish.call(this.#launched, exit, this.#killed);
  }

  #ended(code: number | null, signal: NodeJS.Signals | null, failure?: RunFailure): RunExit {
    const found = failure ?? this.#failure;
    const exit = { code, signal, stderrTail: [...this.#tail] };
    return found === undefined ? exit : { ...exit, failure: found };
  }

  async #spawnAndWait(launched: LaunchedProcess): Promise<RunExit> {
    const invocation = this.invocation;
    const child = spawn(launched.file, launched.args, {
      cwd: launched.cwd,
      env: launched.env ?? process.env,
      stdio: [invocation.command === "write" ? "pipe" : "ignore", "pipe", "pipe"],
      // Its own process group, so that a kill reaches the helpers it starts too.
      detached: true,
    });
    this.#child = child;
    const exitLatch = new StopLatch();
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once("exit", (code, signal) => {
        exitLatch.open();
        resolve([code, signal]);
      }),
    );
    const spawnError = await new Promise<Error | undefined>((resolve) => {
      child.once("spawn", () => resolve(undefined));
      child.once("error", resolve);
    });
    if (spawnError !== undefined || child.pid === undefined) {
      return this.#ended(null, null, spawnFailure(spawnError ?? new Error("no process id"), launched.file));
    }
    // Errors after the start (a failed kill) show through the exit.
    child.on("error", () => undefined);
    const pid = child.pid;
    trackGroup(pid);
    const stdout = this.#readStdout(child.stdout as Readable);
    const stderr = this.#readStderr(child.stderr as Readable);
    const stdin =
      invocation.command === "write"
        ? this.#feedStdin(child.stdin as Writable, invocation.input, exitLatch)
        : Promise.resolve();
    const [code, signal] = await exited;
    this.#exited = true;
    clearTimeout(this.#killTimer);
    // Whatever the connector left running in its group (a helper, a daemon) ends with it.
    await reapGroup(pid, this.#grace);
    untrackGroup(pid);
    await Promise.all([stdout, stderr, stdin]);
    return this.#ended(code, signal);
  }

  async #readStdout(stdout: Readable): Promise<void> {
    const maxLineBytes = this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    let out: AirbyteMessage[] = [];
    let oversized: { bytes: number; head: string } | undefined;
    // Nothing after a lost line may be delivered: a later STATE would claim the lost record.
    const decoder = new MessageDecoder(
      {
        message: (message) => {
          if (oversized === undefined) out.push(message);
        },
        skipped: (line) => {
          if (oversized !== undefined) return;
          if (line.kind === "noise") out.push(logMessage("INFO", clip(line.text)));
          else oversized = line;
        },
      },
      { maxLineBytes },
    );
    // Once nobody takes the output, it is still read (and dropped) so the connector never blocks on a full pipe.
    let discard = false;
    const deliver = async (): Promise<void> => {
      const batch = out;
      out = [];
      if (batch.length > 0 && !(await this.messages.push(batch))) discard = true;
      if (oversized !== undefined) {
        discard = true;
        this.#failure ??= {
          type: "system_error",
          message: `${this.description} printed a line of ${oversized.bytes} bytes (${mib(oversized.bytes)}), over the limit of ${maxLineBytes} bytes (${mib(maxLineBytes)})`,
          internalMessage: `the line starts with: ${oversized.head}`,
        };
        this.kill();
      }
    };
    try {
      for await (const chunk of stdout) {
        if (discard) continue;
        decoder.push(chunk as Buffer);
        await deliver();
      }
      if (!discard) {
        decoder.end();
        await deliver();
      }
    } catch (error) {
      this.#pushTail(`reading the output failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #readStderr(stderr: Readable): Promise<void> {
    const splitter = new LineSplitter({ maxLineBytes: STDERR_MAX_LINE_BYTES });
    let discard = false;
    const take = async (lines: SplitLine[]) => {
      const out: AirbyteMessage[] = [];
      for (const line of lines) {
        let text =
          typeof line === "string" ? line : `${line.head}… (a stderr line of ${line.bytes} bytes, cut)`;
        if (text.endsWith("\r")) text = text.slice(0, -1);
        if (text.trim() === "") continue;
        this.#pushTail(text);
        out.push(logMessage("INFO", text));
      }
      if (!discard && out.length > 0 && !(await this.messages.push(out))) discard = true;
    };
    try {
      for await (const chunk of stderr) await take(splitter.push(chunk as Buffer));
      await take(splitter.end());
    } catch {
      // stderr is only for logs; its exit code tells what happened to the connector.
    }
  }

  #pushTail(line: string): void {
    this.#tail.push(line);
    if (this.#tail.length > STDERR_TAIL_LINES) this.#tail.shift();
  }

  async #feedStdin(
    stdin: Writable,
    input: AsyncIterable<readonly AirbyteMessage[]>,
    exited: StopLatch,
  ): Promise<void> {
    this.#inputStarted = true;
    let broken = false;
    // EPIPE when the destination died: its exit tells why, the driver must not crash.
    stdin.on("error", () => {
      broken = true;
    });
    const iterator = input[Symbol.asyncIterator]();
    let finished = false;
    try {
      while (!broken) {
        const next = await exited.race(iterator.next());
        if (next === STOPPED) break;
        if (next.done === true) {
          finished = true;
          break;
        }
        if (broken || stdin.destroyed) break;
        if (next.value.length === 0) continue;
        if (!stdin.write(encodeMessageBytes(next.value))) await drained(stdin, exited);
      }
    } catch {
      // The producer of the input failed and reports that itself; the destination sees its input end.
    } finally {
      if (!finished) releaseInput(iterator);
      if (!stdin.destroyed) stdin.end();
    }
  }
}

/**
 * A handle whose runs are processes started by `launcher`: the machinery the process and
 * container handles share (run directory, output decoding, stdin, kill, stderr tail).
 * Example: `createLauncherHandle(launcher, { description: "image x" })`.
 */
export function createLauncherHandle(
  launcher: ProcessLauncher,
  options: RunLimits & { readonly description: string },
): ConnectorHandle {
  return {
    description: options.description,
    run(invocation, runOptions): ConnectorRun {
      const run = new ProcessRun(launcher, options.description, options, invocation, runOptions?.signal);
      return { messages: run.messages, exit: run.exit, kill: () => run.kill() };
    },
  };
}

const isDirectory = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * A connector run as a local process, one process per command, with its config, catalog and
 * state in a private temp directory that is removed when the run ends.
 * Example: `createProcessHandle({ command: ["python", "main.py"], description: "source-github" })`.
 */
export function createProcessHandle(options: ProcessHandleOptions): ConnectorHandle {
  const [file, ...baseArgs] = options.command;
  if (file === undefined) throw new Error("createProcessHandle: the command is empty");
  const { cwd, env } = options;
  const launcher: ProcessLauncher = {
    async launch(dir) {
      if (cwd !== undefined && !(await isDirectory(cwd))) {
        return {
          ok: false,
          failure: { type: "config_error", message: `working directory not found: ${cwd}` },
        };
      }
      return { ok: true, value: { file, args: [...baseArgs, ...dir.args], cwd, env } };
    },
  };
  return createLauncherHandle(launcher, {
    ...options,
    description: options.description ?? options.command.join(" "),
  });
}
