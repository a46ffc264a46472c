import { randomBytes } from "node:crypto";
import { copyFile, writeFile } from "node:fs/promises";
import { constants } from "node:os";
import path from "node:path";
import type { ConnectorCommand } from "@weir/protocol";
import type { ConnectorHandle, RunExit, RunFailure } from "./connector-handle.js";
import {
  type ContainerRuntime,
  ensureImage,
  findContainerRuntime,
  type PullPolicy,
  type RuntimeOutcome,
  reclaimFolder,
  removeContainer,
  runsAsRoot,
  stopContainer,
  trackContainer,
  untrackContainer,
} from "./container-runtime.js";
import { createLauncherHandle, type LaunchedProcess, type ProcessLauncher } from "./process-handle.js";
import { createPrivateDirectory, removeRunDirectory } from "./run-directory.js";

/** A host folder mounted into the container. Example: `{ source: "/srv/out", target: "/local" }`. */
export interface ContainerVolume {
  /** Absolute path on this machine. */
  readonly source: string;
  /** Absolute path in the container. */
  readonly target: string;
  readonly readOnly?: boolean | undefined;
}

/** How to run a connector image, following Airbyte's docker contract. */
export interface ContainerHandleOptions {
  /** The image, e.g. `airbyte/source-faker:6.2.0`; its entrypoint is the connector. */
  readonly image: string;
  /** `podman`, `docker` or a path to either; default: `$WEIR_CONTAINER_RUNTIME`, else the one that works. */
  readonly runtime?: string | undefined;
  /** Words passed to the entrypoint before the protocol command (`spec`, `read --config …`). */
  readonly args?: readonly string[] | undefined;
  /** Environment variables set in the container (never on the runtime's command line). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Memory limit as the runtime takes it: `512m`, `2g`. */
  readonly memory?: string | undefined;
  /** CPU limit in cores, e.g. 0.5 or 2. */
  readonly cpus?: number | undefined;
  /** Network mode: `none`, `host`, `bridge`, or a network's name; default: the runtime's. */
  readonly network?: string | undefined;
  readonly volumes?: readonly ContainerVolume[] | undefined;
  /** Pull the image when it is not present locally (default), or never. */
  readonly pull?: PullPolicy | undefined;
  /** For logs and errors; default: `image IMAGE`. */
  readonly description?: string | undefined;
  /** Time between the stop request (SIGTERM) and SIGKILL when the run is killed. Default 5000 ms. */
  readonly killGraceMs?: number | undefined;
  /** Longest stdout line accepted; a longer one fails the run. Default: the protocol's limit. */
  readonly maxLineBytes?: number | undefined;
  /** Containers are named `PREFIX-<random>`, to find them with `podman ps --filter name=…`. Default `weir`. */
  readonly namePrefix?: string | undefined;
}

/**
 * Where the run's config, catalog and state appear in the container, read-only: the folder
 * Airbyte's connector acceptance tests mount them in (`/data/config.json`, …), so connectors
 * are used to it. `/airbyte` would hide the code of Python connector images.
 */
export const CONTAINER_FILES_DIR = "/data";

// What the runtime CLI prints when it cannot run a container (podman: "Error: …", docker:
// "docker: Error response from daemon: …"), with exit code 125 (the runtime failed), 126 (the
// command cannot be run) or 127 (no such command in the image); and what the init process
// (`--init`: catatonit for podman, tini for docker) prints when it cannot start the entrypoint.
const RUNTIME_ERROR_LINE = /^(?:Error: |docker: )(.*)$/;
const INIT_ERROR_LINE = /^(?:ERROR \(catatonit:\d+\): |\[FATAL tini \(\d+\)\] )(.*)$/;
const OOM_EXIT_CODE = 137;

function checkOptions(options: ContainerHandleOptions): void {
  if (options.image.trim() === "") throw new Error("createContainerHandle: the image is empty");
  for (const [key, value] of Object.entries(options.env ?? {})) {
    // One variable per line of an env file: these could not be written there.
    if (!/^[^=\s#][^=\s]*$/.test(key) || /[\r\n]/.test(value)) {
      throw new Error(`createContainerHandle: environment variable ${JSON.stringify(key)} cannot be passed`);
    }
  }
  for (const volume of options.volumes ?? []) {
    if (!path.isAbsolute(volume.source) || !path.posix.isAbsolute(volume.target)) {
      throw new Error(
        `createContainerHandle: volume paths must be absolute: ${volume.source}:${volume.target}`,
      );
    }
  }
}

/** `-v` takes `SOURCE:TARGET:OPTIONS`, so a colon in a path cannot be said there. */
function volumeArg(source: string, target: string, flags: readonly string[]): string {
  if (source.includes(":") || target.includes(":")) {
    throw new Error(`cannot mount a path holding ":" into a container: ${source}`);
  }
  return `${source}:${target}${flags.length === 0 ? "" : `:${flags.join(",")}`}`;
}

function signalName(code: number): NodeJS.Signals | undefined {
  const number = code - 128;
  return (Object.entries(constants.signals) as [NodeJS.Signals, number][]).find(([, n]) => n === number)?.[0];
}

async function writeEnvFile(env: Readonly<Record<string, string>>): Promise<string> {
  // Values may be secrets: a command line is readable by every user of the machine, this file only by us.
  const dir = await createPrivateDirectory("weir-env-");
  const file = path.join(dir, "env");
  const text = Object.entries(env)
    .map(([key, value]) => `${key}=${value}\n`)
    .join("");
  await writeFile(file, text, { mode: 0o600 });
  return file;
}

class ContainerLauncher implements ProcessLauncher {
  readonly filesSeenIn = CONTAINER_FILES_DIR;

  constructor(
    private readonly options: ContainerHandleOptions,
    private readonly description: string,
  ) {}

  async launch(
    dir: { readonly path: string; readonly args: readonly string[] },
    signal: AbortSignal,
  ): Promise<{ ok: true; value: LaunchedProcess } | { ok: false; failure: RunFailure }> {
    const options = this.options;
    const runtime = await findContainerRuntime(options.runtime);
    if (!runtime.ok) return runtime;
    const image = await ensureImage(runtime.value, options.image, options.pull ?? "if-missing", signal);
    if (!image.ok) return image;
    const name = `${options.namePrefix ?? "weir"}-${randomBytes(6).toString("hex")}`;
    const envFile =
      Object.keys(options.env ?? {}).length > 0 ? await writeEnvFile(options.env ?? {}) : undefined;
    // The run's files are private (0700, 0600): an image running as another user reads them
    // only when podman hands them to that user for the run (`U`); they are taken back after.
    const handOver = runtime.value.kind === "podman" && !runsAsRoot(image.value.user);
    const args = this.#runArgs(runtime.value, name, dir.path, image.value.image, handOver, envFile);
    trackContainer(runtime.value, name);
    const reclaim = handOver ? () => reclaimFolder(runtime.value, dir.path) : undefined;
    const launched = this.#launched(runtime.value, name, args, dir.args, envFile, reclaim);
    // podman's conmon leaves a file named "oom" in its working folder when the container is
    // killed for memory: that is the run's folder, removed after, not wherever Weir was started.
    return { ok: true, value: { ...launched, cwd: dir.path } };
  }

  #runArgs(
    runtime: ContainerRuntime,
    name: string,
    dir: string,
    image: string,
    handOver: boolean,
    envFile: string | undefined,
  ): string[] {
    const options = this.options;
    const filesFlags = handOver ? ["ro", "U"] : ["ro"];
    const args = [
      "run",
      "--rm",
      "-i",
      "--name",
      name,
      // An init as PID 1 passes SIGTERM on (a connector as PID 1 would ignore it) and reaps orphans.
      "--init",
      // The image was looked up (and pulled if allowed) just before; the run itself never pulls.
      "--pull",
      "never",
      // podman hands our pipes to the connector itself; otherwise every byte also goes to a log file.
      "--log-driver",
      runtime.kind === "podman" ? "passthrough" : "none",
      "-v",
      volumeArg(dir, CONTAINER_FILES_DIR, filesFlags),
    ];
    for (const volume of options.volumes ?? []) {
      args.push("-v", volumeArg(volume.source, volume.target, volume.readOnly === true ? ["ro"] : []));
    }
    if (envFile !== undefined) args.push("--env-file", envFile);
    if (options.memory !== undefined) args.push("--memory", options.memory);
    if (options.cpus !== undefined) args.push("--cpus", String(options.cpus));
    if (options.network !== undefined) args.push("--network", options.network);
    args.push(image);
    return args;
  }

  #launched(
    runtime: ContainerRuntime,
    name: string,
    runArgs: readonly string[],
    contractArgs: readonly string[],
    envFile: string | undefined,
    reclaim: (() => Promise<void>) | undefined,
  ): LaunchedProcess {
    let stopping: Promise<void> | undefined;
    return {
      file: runtime.program,
      args: [...runArgs, ...(this.options.args ?? []), ...contractArgs],
      // The CLI client stops the container too (SIGTERM is passed on), but a client killed
      // with SIGKILL would leave it running: the runtime is asked by name.
      onKill: (graceMs) => {
        stopping = stopContainer(runtime, name, graceMs).catch(() => undefined);
      },
      finish: async (exit, killed) => {
        await stopping;
        await removeContainer(runtime, name).catch(() => undefined);
        untrackContainer(name);
        await reclaim?.().catch(() => undefined);
        if (envFile !== undefined) await removeRunDirectory(path.dirname(envFile));
        return this.#explain(exit, killed, runtime);
      },
    };
  }

  /** What the runtime's exit code means, where it says more than the code. */
  #explain(exit: RunExit, killed: boolean, runtime: ContainerRuntime): RunExit {
    if (exit.failure !== undefined || exit.code === null) return exit;
    if (killed && exit.code > 128) {
      // The client reports the container's death by signal as 128 + n, as a shell does.
      return { code: null, signal: signalName(exit.code) ?? "SIGKILL", stderrTail: exit.stderrTail };
    }
    const last = exit.stderrTail[exit.stderrTail.length - 1] ?? "";
    const runtimeError = exit.code >= 125 && exit.code <= 127 ? RUNTIME_ERROR_LINE.exec(last) : null;
    if (runtimeError !== null && exit.code === 125) {
      const message = `${runtime.kind} could not run ${this.description}: ${runtimeError[1]}`;
      return { ...exit, failure: { type: "system_error", message } };
    }
    const startError = runtimeError ?? INIT_ERROR_LINE.exec(last);
    if (startError !== null) {
      const message = `${this.description} could not start its entrypoint (an Airbyte connector image's entrypoint runs spec, check, discover, read and write): ${startError[1]}`;
      return { ...exit, failure: { type: "config_error", message } };
    }
    if (exit.code === OOM_EXIT_CODE && this.options.memory !== undefined) {
      return {
        ...exit,
        failure: {
          type: "system_error",
          message: `${this.description} was killed (exit code 137), most likely for going over its memory limit of ${this.options.memory}`,
        },
      };
    }
    return exit;
  }
}

/**
 * A connector run as a container image, one container per command, as Airbyte runs them:
 * `podman|docker run --rm -i IMAGE COMMAND --config /data/config.json …`, with the run's
 * files mounted read-only, stdin for `write`, and the container removed by name whatever
 * happens. Example: `createContainerHandle({ image: "airbyte/source-faker:6.2.0", memory: "1g" })`.
 */
export function createContainerHandle(options: ContainerHandleOptions): ConnectorHandle {
  checkOptions(options);
  const description = options.description ?? `image ${options.image}`;
  return createLauncherHandle(new ContainerLauncher(options, description), {
    description,
    killGraceMs: options.killGraceMs,
    maxLineBytes: options.maxLineBytes,
  });
}

/** A container command whose stdio the caller passes through (`weir read --image`). */
export interface ContainerCommand {
  /** The runtime CLI and its arguments: `podman run --rm -i … IMAGE read --config /data/config.json …`. */
  readonly file: string;
  readonly args: readonly string[];
  /** The folder to start it in (the runtime may leave files there; it is removed after). */
  readonly cwd: string;
  /** After the process has exited: removes the container if it is still there, and the copied files. */
  release(): Promise<void>;
}

/**
 * Prepares one run of an image's command with the user's own files (copied into a private
 * folder mounted at /data, as for handle runs), for a caller that spawns it with its stdio
 * inherited. Example: `await prepareContainerCommand({ image }, "check", { config: "config.json" })`.
 */
export async function prepareContainerCommand(
  options: ContainerHandleOptions,
  command: ConnectorCommand,
  files: {
    readonly config?: string | undefined;
    readonly catalog?: string | undefined;
    readonly state?: string | undefined;
  },
  signal: AbortSignal = new AbortController().signal,
): Promise<RuntimeOutcome<ContainerCommand>> {
  checkOptions(options);
  const dir = await createPrivateDirectory("weir-run-");
  const args: string[] = [command];
  for (const name of ["config", "catalog", "state"] as const) {
    const file = files[name];
    if (file === undefined) continue;
    try {
      await copyFile(file, path.join(dir, `${name}.json`));
    } catch (error) {
      await removeRunDirectory(dir);
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : String(error);
      return {
        ok: false,
        failure: { type: "config_error", message: `cannot read the ${name} file ${file}: ${reason}` },
      };
    }
    args.push(`--${name}`, path.posix.join(CONTAINER_FILES_DIR, `${name}.json`));
  }
  const description = options.description ?? `image ${options.image}`;
  const launch = await new ContainerLauncher(options, description).launch({ path: dir, args }, signal);
  if (!launch.ok) {
    await removeRunDirectory(dir);
    return launch;
  }
  const launched = launch.value;
  return {
    ok: true,
    value: {
      file: launched.file,
      args: launched.args,
      cwd: dir,
      release: async () => {
        await launched.finish?.({ code: null, signal: null, stderrTail: [] }, false);
        await removeRunDirectory(dir);
      },
    },
  };
}
