import { spawn } from "node:child_process";
import { once } from "node:events";
import { constants } from "node:os";
import { listBuiltins } from "@weir/builtins";
import { parseEntrypointArgs, runEntrypoint } from "@weir/cdk";
import type { ConnectorCommand } from "@weir/protocol";
import { prepareContainerCommand } from "@weir/runtime";
import { type CommandFailure, describeFailureCause } from "./command-failure.js";
import { splitCommandLine } from "./command-line.js";
import { findBuiltinConnector } from "./connector-resolution.js";
import { formatTable } from "./number-formats.js";

/** The files of a connector command, as in the Airbyte docker contract. */
export interface ConnectorCommandOptions {
  readonly config?: string | undefined;
  readonly catalog?: string | undefined;
  readonly state?: string | undefined;
  /** A local program instead of a built-in, e.g. `python3 main.py`. */
  readonly command?: string | undefined;
  /** A connector image instead of a built-in, e.g. `airbyte/source-faker:6.2.0`. */
  readonly image?: string | undefined;
}

const USAGE_EXIT_CODE = 2;

const usageError = (message: string): number => {
  process.stderr.write(`weir: ${message}\n`);
  return USAGE_EXIT_CODE;
};

function contractArgs(command: ConnectorCommand, options: ConnectorCommandOptions): string[] {
  const argv: string[] = [command];
  for (const name of ["config", "catalog", "state"] as const) {
    const value = options[name];
    if (value !== undefined) argv.push(`--${name}`, value);
  }
  return argv;
}

/**
 * `weir spec|check|discover|read|write CONNECTOR …`: behaves like the connector's own command,
 * same messages on stdout and same exit code. Resolves to the exit code.
 * Example: `await runConnectorCommand("spec", "faker", {})`.
 */
export async function runConnectorCommand(
  command: ConnectorCommand,
  connectorName: string | undefined,
  options: ConnectorCommandOptions,
): Promise<number> {
  const named = [connectorName, options.command, options.image].filter((given) => given !== undefined);
  if (named.length !== 1) {
    return usageError(
      `${command} needs a built-in connector name, --command "<program>" or --image <image>, and only one of them`,
    );
  }
  if (options.command !== undefined) return runForeign(options.command, contractArgs(command, options));
  const parsed = parseEntrypointArgs(contractArgs(command, options));
  if (!parsed.ok) return usageError(parsed.problem);
  const side =
    command === "read" || command === "discover" ? "source" : command === "write" ? "destination" : undefined;
  if (options.image !== undefined) return runImage(options.image, command, options, side);
  const found = findBuiltinConnector(connectorName ?? "", side, "");
  if (!found.ok) {
    process.stderr.write(`✗ ${describeFailureCause(found.failure)}: ${found.failure.message}\n`);
    return 1;
  }
  // The connector's own bin, in this process: same messages, same exit code, by construction.
  await runEntrypoint(found.value, contractArgs(command, options));
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

/** Runs a foreign program with the contract's arguments, passing its output through untouched. */
async function runForeign(commandLine: string, args: readonly string[]): Promise<number> {
  const split = splitCommandLine(commandLine);
  if (!split.ok) return usageError(`--command: ${split.message}`);
  const [program, ...programArgs] = split.argv as [string, ...string[]];
  return runInheriting(program, [...programArgs, ...args]);
}

/**
 * Runs an image's command as `podman|docker run` with the user's files mounted, passing its
 * output through untouched: the exit code is the container's.
 */
async function runImage(
  image: string,
  command: ConnectorCommand,
  options: ConnectorCommandOptions,
  side: "source" | "destination" | undefined,
): Promise<number> {
  if (!/^\S+$/.test(image)) return usageError("--image: must be an image name without spaces");
  const prepared = await prepareContainerCommand({ image }, command, options);
  if (!prepared.ok) {
    const failure: CommandFailure = { ...prepared.failure, origin: side ?? "platform" };
    process.stderr.write(`✗ ${describeFailureCause(failure)}: ${failure.message}\n`);
    return 1;
  }
  try {
    return await runInheriting(prepared.value.file, prepared.value.args, prepared.value.cwd);
  } finally {
    await prepared.value.release();
  }
}

/** Runs a program with weir's stdio and returns its exit code as a shell would. */
async function runInheriting(program: string, args: readonly string[], cwd?: string): Promise<number> {
  const child = spawn(program, args, { stdio: "inherit", cwd });
  // Ctrl-C on a terminal reaches the child directly (same process group); a SIGTERM sent to
  // weir alone is passed on, so the connector can close cleanly.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const ignoreInterrupt = () => undefined;
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  process.on("SIGINT", ignoreInterrupt);
  try {
    const [code, signal] = (await Promise.race([
      once(child, "exit"),
      once(child, "error").then(([error]) => {
        throw error;
      }),
    ])) as [number | null, NodeJS.Signals | null];
    if (signal !== null) return 128 + (constants.signals[signal] ?? 0);
    return code ?? 1;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      `weir: cannot run ${program}: ${code === "ENOENT" ? "command not found" : String(error)}\n`,
    );
    return code === "ENOENT" ? 127 : 126;
  } finally {
    process.off("SIGTERM", forward);
    process.off("SIGHUP", forward);
    process.off("SIGINT", ignoreInterrupt);
  }
}

/** `weir connectors [--json]`: the built-ins with version and kind. */
export function runConnectorsList(options: { readonly json: boolean }): number {
  const builtins = listBuiltins();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(builtins, null, 2)}\n`);
    return 0;
  }
  const rows = builtins.map((b) => [b.name.replace(/^(source|destination)-/, ""), b.name, b.kind, b.version]);
  process.stdout.write(
    `${formatTable(["name", "full name", "kind", "version"], rows, [false, false, false, false]).join("\n")}\n`,
  );
  return 0;
}
