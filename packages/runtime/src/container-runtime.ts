import { execFile, spawnSync } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import type { RunFailure } from "./connector-handle.js";

/** A container CLI found on this machine. Example: `{ program: "/usr/bin/podman", kind: "podman" }`. */
export interface ContainerRuntime {
  /** The program as found (a path), run for every container command. */
  readonly program: string;
  /** The dialect it speaks; podman-docker's `docker` speaks podman. */
  readonly kind: "podman" | "docker";
}

/** `{ ok: true, value }` or a classified failure, as the handles report expected problems. */
export type RuntimeOutcome<T> = { ok: true; value: T } | { ok: false; failure: RunFailure };

/** An image ready to run: the name to run it by, and the user it runs as (empty: root). */
export interface LocalImage {
  readonly image: string;
  readonly user: string;
}

/** Whether an image is pulled when it is not present: Docker's default, or never (offline machines, tests). */
export type PullPolicy = "if-missing" | "never";

/** The environment variable that picks the runtime: `podman`, `docker`, or a path to either. */
export const CONTAINER_RUNTIME_ENV = "WEIR_CONTAINER_RUNTIME";

const PROBE_TIMEOUT_MS = 15_000;
// A pull downloads gigabytes on a slow link; a kill (the signal) is what stops one early.
const PULL_TIMEOUT_MS = 30 * 60_000;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runCommand(
  program: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      {
        timeout: options.timeoutMs,
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: "utf8",
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        const reason = error !== null && code === -1 ? error.message : "";
        resolve({ code, stdout, stderr: stderr === "" ? reason : stderr });
      },
    );
  });
}

/** The last non-empty lines of a command's error output, for messages. */
function lastLines(text: string, count = 3): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .slice(-count)
    .join("\n");
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Finds a program the way a shell does: a name with a slash as it is, anything else on PATH. */
export async function findProgram(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (name.includes("/")) return (await isExecutable(name)) ? path.resolve(name) : undefined;
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

// Both a missing runtime and an engine that does not answer are config errors: a person has to
// act (install podman, start Docker, or point WEIR_CONTAINER_RUNTIME elsewhere), and retrying
// the sync as it is would only fail the same way, as a missing command does for process handles.
const runtimeFailure = (message: string, internalMessage?: string): { ok: false; failure: RunFailure } => ({
  ok: false,
  failure:
    internalMessage === undefined
      ? { type: "config_error", message }
      : { type: "config_error", message, internalMessage },
});

/** Which dialect a program speaks, and whether it can run containers now. */
async function probe(program: string, name: string): Promise<RuntimeOutcome<ContainerRuntime>> {
  const version = await runCommand(program, ["--version"], { timeoutMs: PROBE_TIMEOUT_MS });
  if (version.code !== 0) {
    return runtimeFailure(
      `container runtime ${name} does not work: \`${name} --version\` failed`,
      lastLines(version.stderr),
    );
  }
  if (/podman/i.test(version.stdout)) return { ok: true, value: { program, kind: "podman" } };
  // Podman has no engine to reach; the docker CLI is only a client of one.
  const server = await runCommand(program, ["version", "--format", "{{.Server.Version}}"], {
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  if (server.code !== 0) {
    return runtimeFailure(
      `${name} cannot reach its engine (${lastLines(server.stderr, 1) || "no answer"}): start the Docker engine, install podman, or set ${CONTAINER_RUNTIME_ENV}`,
      lastLines(server.stderr),
    );
  }
  return { ok: true, value: { program, kind: "docker" } };
}

async function detect(requested: string | undefined): Promise<RuntimeOutcome<ContainerRuntime>> {
  if (requested !== undefined) {
    const program = await findProgram(requested);
    if (program === undefined) {
      return runtimeFailure(
        `container runtime "${requested}" not found${requested.includes("/") ? "" : " on PATH"}: install it, or set ${CONTAINER_RUNTIME_ENV} to podman or docker`,
      );
    }
    return probe(program, requested);
  }
  // Docker first when its engine answers: its users' images live in its store, not podman's.
  // A docker CLI without an engine (a common leftover) must not hide a podman that works.
  const docker = await findProgram("docker");
  const dockerProbe = docker === undefined ? undefined : await probe(docker, "docker");
  if (dockerProbe?.ok === true) return dockerProbe;
  const podman = await findProgram("podman");
  if (podman !== undefined) return probe(podman, "podman");
  if (dockerProbe !== undefined) return dockerProbe;
  return runtimeFailure(
    `no container runtime found: install podman or docker, or set ${CONTAINER_RUNTIME_ENV}`,
  );
}

const found = new Map<string, Promise<RuntimeOutcome<ContainerRuntime>>>();

/**
 * The container runtime to use: `requested` (`podman`, `docker` or a path), else
 * `$WEIR_CONTAINER_RUNTIME`, else docker when its engine answers, else podman. Found runtimes
 * are remembered for the life of the process; failures are not (an engine may start later).
 * Example: `const runtime = await findContainerRuntime(); if (runtime.ok) runtime.value.kind`.
 */
export function findContainerRuntime(requested?: string): Promise<RuntimeOutcome<ContainerRuntime>> {
  const wanted = requested ?? (process.env[CONTAINER_RUNTIME_ENV] || undefined);
  const key = `${wanted ?? ""}\0${process.env.PATH ?? ""}`;
  const known = found.get(key);
  if (known !== undefined) return known;
  const result = detect(wanted);
  found.set(key, result);
  result.then((outcome) => {
    if (!outcome.ok) found.delete(key);
  });
  return result;
}

/**
 * The name to pull an image by. Docker completes a short name with its own registry
 * (`airbyte/source-faker:6.2.0` is `docker.io/airbyte/source-faker:6.2.0`); podman asks a
 * terminal which registry is meant, or refuses, so the name is completed here as docker would.
 */
export function pullReference(image: string, kind: ContainerRuntime["kind"]): string {
  if (kind === "docker") return image;
  const slash = image.indexOf("/");
  const first = slash === -1 ? "" : image.slice(0, slash);
  if (first === "localhost" || first.includes(".") || first.includes(":")) return image;
  return slash === -1 ? `docker.io/library/${image}` : `docker.io/${image}`;
}

/** The user an image runs as (`""`, `airbyte`, `1000:1000`), or why it cannot be inspected (absent). */
async function inspectUser(
  runtime: ContainerRuntime,
  image: string,
  signal: AbortSignal | undefined,
): Promise<{ present: true; user: string } | { present: false; error: string }> {
  const result = await runCommand(
    runtime.program,
    ["image", "inspect", "--format", "{{json .Config.User}}", image],
    { timeoutMs: PROBE_TIMEOUT_MS, signal },
  );
  if (result.code !== 0) return { present: false, error: lastLines(result.stderr) };
  try {
    const user: unknown = JSON.parse(result.stdout.trim().split("\n")[0] ?? "");
    return { present: true, user: typeof user === "string" ? user : "" };
  } catch {
    return { present: true, user: "" };
  }
}

/**
 * Makes sure an image is present locally: it is looked up first (no pull when it is there, so
 * offline machines and local builds work), pulled once when missing and `pull` allows it.
 * A missing image is a config_error naming it; the runtime's own words go in internalMessage.
 * Example: `await ensureImage(runtime, "airbyte/source-faker:6.2.0", "if-missing", signal)`.
 */
export async function ensureImage(
  runtime: ContainerRuntime,
  image: string,
  pull: PullPolicy,
  signal?: AbortSignal,
): Promise<RuntimeOutcome<LocalImage>> {
  const local = await inspectUser(runtime, image, signal);
  if (local.present) return { ok: true, value: { image, user: local.user } };
  if (pull === "never") {
    return {
      ok: false,
      failure: {
        type: "config_error",
        message: `image ${image} is not present locally, and pulling is off`,
        internalMessage: local.error,
      },
    };
  }
  const reference = pullReference(image, runtime.kind);
  const pulled = await runCommand(runtime.program, ["pull", "--quiet", reference], {
    timeoutMs: PULL_TIMEOUT_MS,
    signal,
  });
  const after = pulled.code === 0 ? await inspectUser(runtime, reference, signal) : undefined;
  if (after?.present === true) return { ok: true, value: { image: reference, user: after.user } };
  return {
    ok: false,
    failure: {
      type: "config_error",
      message: `image ${image} is not present locally and could not be pulled: check its name and tag, and that its registry can be reached (or build or load it locally)`,
      internalMessage: lastLines(pulled.stderr, 5) || (after?.present === false ? after.error : ""),
    },
  };
}

/** Whether an image's user is root, who can read the run's files whoever owns them. */
export function runsAsRoot(user: string): boolean {
  const name = user.split(":")[0] ?? "";
  return name === "" || name === "root" || name === "0";
}

/** Asks the runtime to stop a container: SIGTERM, then SIGKILL after `graceMs`. Resolves when done. */
export async function stopContainer(runtime: ContainerRuntime, name: string, graceMs: number): Promise<void> {
  await runCommand(runtime.program, ["stop", "-t", String(Math.ceil(graceMs / 1000)), name], {
    timeoutMs: graceMs + PROBE_TIMEOUT_MS,
  });
}

/**
 * Gives a folder handed to a container's user (podman's `U`) back to Weir's user. Rootless
 * podman maps that user to a uid of its own range, whose files Weir could not delete.
 */
export async function reclaimFolder(runtime: ContainerRuntime, folder: string): Promise<void> {
  if (runtime.kind !== "podman" || process.getuid?.() === 0) return;
  await runCommand(runtime.program, ["unshare", "chown", "-R", "0:0", folder], {
    timeoutMs: PROBE_TIMEOUT_MS,
  });
}

/** Kills and removes a container by name; one already gone is fine. */
export async function removeContainer(runtime: ContainerRuntime, name: string): Promise<void> {
  await runCommand(runtime.program, removeArgs(runtime, [name]), { timeoutMs: PROBE_TIMEOUT_MS });
}

// podman's `rm -f` first waits the container's stop timeout (10 s); docker's kills at once.
const removeArgs = (runtime: ContainerRuntime, names: readonly string[]): string[] =>
  runtime.kind === "podman" ? ["rm", "-f", "-t", "0", ...names] : ["rm", "-f", ...names];

// Containers still running when this process exits (a crash, a `process.exit` in the CLI) are
// removed then: killing their CLI client alone would leave them running.
const liveContainers = new Map<string, ContainerRuntime>();
let exitHookInstalled = false;

function removeLeftoversOnExit(): void {
  const byProgram = new Map<string, { runtime: ContainerRuntime; names: string[] }>();
  for (const [name, runtime] of liveContainers) {
    const entry = byProgram.get(runtime.program) ?? { runtime, names: [] };
    entry.names.push(name);
    byProgram.set(runtime.program, entry);
  }
  for (const { runtime, names } of byProgram.values()) {
    spawnSync(runtime.program, removeArgs(runtime, names), { stdio: "ignore", timeout: PROBE_TIMEOUT_MS });
  }
}

/** Remembers a container to remove if this process exits before its run ends. */
export function trackContainer(runtime: ContainerRuntime, name: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", removeLeftoversOnExit);
  }
  liveContainers.set(name, runtime);
}

export function untrackContainer(name: string): void {
  liveContainers.delete(name);
}
