import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { constants } from "node:os";
import { listBuiltins } from "@weir/builtins";
import { parseEntrypointArgs, systemError } from "@weir/cdk";
import {
  type AirbyteMessage,
  type ConnectorCommand,
  type ConnectorInvocation,
  decodeMessageStream,
  encodeMessages,
  errorTrace,
  logMessage,
} from "@weir/protocol";
import { createInProcessHandle } from "@weir/runtime";
import { describeFailureCause } from "./command-failure.js";
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
}

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
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
  if ((connectorName === undefined) === (options.command === undefined)) {
    return usageError(
      `${command} needs a built-in connector name or --command "<program>", and only one of them`,
    );
  }
  if (options.command !== undefined) return runForeign(options.command, contractArgs(command, options));
  const parsed = parseEntrypointArgs(contractArgs(command, options));
  if (!parsed.ok) return usageError(parsed.problem);
  const side =
    command === "read" || command === "discover" ? "source" : command === "write" ? "destination" : undefined;
  const found = findBuiltinConnector(connectorName ?? "", side, "");
  if (!found.ok) {
    process.stderr.write(`✗ ${describeFailureCause(found.failure)}: ${found.failure.message}\n`);
    return 1;
  }
  return runBuiltin(found.value, command, options);
}

/** Runs a foreign program with the contract's arguments, passing its output through untouched. */
async function runForeign(commandLine: string, args: readonly string[]): Promise<number> {
  const split = splitCommandLine(commandLine);
  if (!split.ok) return usageError(`--command: ${split.message}`);
  const [program, ...programArgs] = split.argv as [string, ...string[]];
  const child = spawn(program, [...programArgs, ...args], { stdio: "inherit" });
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

// The same messages as a connector's own bin, so both ways of running it read alike.
async function readJsonFile(
  option: string,
  file: string,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, message: `Could not read the ${option} file ${file} (${code})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // The parser's message quotes the text, which may hold a password.
    return { ok: false, message: `The ${option} file ${file} is not valid JSON` };
  }
}

/** Protocol messages from stdin for `write`; other lines are reported and skipped, as the bin does. */
async function* stdinMessages(
  write: (messages: readonly AirbyteMessage[]) => void,
): AsyncGenerator<readonly AirbyteMessage[]> {
  for await (const lines of decodeMessageStream(process.stdin)) {
    const batch: AirbyteMessage[] = [];
    for (const line of lines) {
      if (line.kind === "message") batch.push(line.message);
      else if (line.kind === "noise") {
        const text = line.text.length > 200 ? `${line.text.slice(0, 200)}…` : line.text;
        write([
          logMessage("WARN", `Skipped a stdin line that is not an Airbyte message (${line.reason}): ${text}`),
        ]);
      } else {
        throw systemError(
          `An input line of ${line.bytes} bytes is too long to read; it starts with ${line.head}`,
        );
      }
    }
    if (batch.length > 0) yield batch;
  }
}

async function runBuiltin(
  connector: Parameters<typeof createInProcessHandle>[0],
  command: ConnectorCommand,
  options: ConnectorCommandOptions,
): Promise<number> {
  let broken = false;
  process.stdout.on("error", () => {
    broken = true;
    controller.abort(new Error("stdout closed"));
  });
  const writeNow = (messages: readonly AirbyteMessage[]) => {
    if (!broken && messages.length > 0) process.stdout.write(encodeMessages(messages));
  };
  const write = async (messages: readonly AirbyteMessage[]) => {
    if (broken || messages.length === 0) return;
    if (process.stdout.write(encodeMessages(messages))) return;
    await Promise.race([once(process.stdout, "drain"), once(process.stdout, "close")]).catch(() => undefined);
  };

  const files: Record<string, unknown> = {};
  for (const name of ["config", "catalog", "state"] as const) {
    const file = options[name];
    if (file === undefined) continue;
    const read = await readJsonFile(`--${name}`, file);
    if (!read.ok) {
      await write([errorTrace(read.message, "config_error")]);
      return 1;
    }
    files[name] = read.value;
  }
  const { config, catalog, state } = files as { config: unknown; catalog: never; state: never };
  const invocation: ConnectorInvocation =
    command === "spec"
      ? { command }
      : command === "check" || command === "discover"
        ? { command, config }
        : command === "read"
          ? { command, config, catalog, state }
          : { command, config, catalog, input: stdinMessages(writeNow) };

  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== undefined) process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
    received = signal;
    controller.abort(new Error(`received ${signal}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const run = createInProcessHandle(connector).run(invocation, { signal: controller.signal });
    let failed = false;
    for await (const batch of run.messages) {
      if (batch.some((m) => m.type === "TRACE" && m.trace.type === "ERROR")) failed = true;
      await write(batch);
    }
    const exit = await run.exit;
    if (received !== undefined) return SIGNAL_EXIT_CODES[received] ?? 1;
    return failed || exit.code !== 0 ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (command === "write") process.stdin.destroy();
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
