import { readFile } from "node:fs/promises";
import { format } from "node:util";
import {
  type AirbyteMessage,
  type ConnectorInvocation,
  decodeMessageStream,
  encodeMessages,
  errorTrace,
  type LogLevel,
  logMessage,
} from "@weir/protocol";
import type { Connector } from "./define.js";
import { waitForDrain } from "./drain.js";
import { ENTRYPOINT_USAGE, type EntrypointArgs, parseEntrypointArgs } from "./entrypoint-args.js";
import { systemError } from "./errors.js";
import { runConnector } from "./run-connector.js";
import { createSecretMasker } from "./secret-fields.js";

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };
// After a signal, how long the process may linger on handles a connector forgot to close.
const EXIT_GRACE_MS = 2000;

/** Writes protocol lines to stdout, waiting for 'drain' so a slow reader bounds our memory. */
class ProtocolOutput {
  #broken = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    onBroken: () => void,
  ) {
    // EPIPE: whoever read our output is gone. Stop the run instead of crashing.
    stream.on("error", () => {
      this.#broken = true;
      onBroken();
    });
  }

  async write(messages: readonly AirbyteMessage[]): Promise<void> {
    if (this.#broken || messages.length === 0) return;
    if (this.stream.write(encodeMessages(messages))) return;
    // An 'error' while waiting is seen by the constructor's listener, which marks the output broken.
    await waitForDrain(this.stream);
  }

  #mask: (text: string) => string = (text) => text;

  /** Masks the config's secrets in `logNow` lines (set once the config file is read). */
  useMasker(mask: (text: string) => string): void {
    this.#mask = mask;
  }

  /**
   * A LOG line written outside the run's batches (console output, skipped stdin lines), which
   * bypasses the runner's masking logger and so is masked here.
   */
  logNow(level: LogLevel, text: string): void {
    if (!this.#broken) this.stream.write(encodeMessages([logMessage(level, this.#mask(text))]));
  }
}

async function readJsonFile(
  option: string,
  path: string,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, message: `Could not read the ${option} file ${path} (${code})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // The parser's message quotes the text, which may hold a password: say only where it is.
    return { ok: false, message: `The ${option} file ${path} is not valid JSON` };
  }
}

async function buildInvocation(
  connector: Connector,
  args: EntrypointArgs,
  output: ProtocolOutput,
): Promise<{ ok: true; invocation: ConnectorInvocation } | { ok: false; message: string }> {
  const files: Record<string, unknown> = {};
  for (const option of ["config", "catalog", "state"] as const) {
    const path = args[option];
    if (path === undefined) continue;
    const read = await readJsonFile(`--${option}`, path);
    if (!read.ok) return read;
    files[option] = read.value;
  }
  // The runner validates config, catalog and state, so a bad file gets the same message as in-process.
  const { config, catalog, state } = files as { config: unknown; catalog: never; state: never };
  if (config !== undefined) output.useMasker(createSecretMasker(connector.spec, config));
  switch (args.command) {
    case "spec":
      return { ok: true, invocation: { command: "spec" } };
    case "check":
    case "discover":
      return { ok: true, invocation: { command: args.command, config } };
    case "read":
      return { ok: true, invocation: { command: "read", config, catalog, state } };
    case "write":
      return {
        ok: true,
        invocation: { command: "write", config, catalog, input: stdinMessages(output) },
      };
  }
}

/** Airbyte messages from stdin; lines that are not messages are logged and skipped, as Airbyte does. */
async function* stdinMessages(output: ProtocolOutput): AsyncGenerator<readonly AirbyteMessage[]> {
  for await (const lines of decodeMessageStream(process.stdin)) {
    const batch: AirbyteMessage[] = [];
    for (const line of lines) {
      if (line.kind === "message") batch.push(line.message);
      else if (line.kind === "noise") {
        const text = line.text.length > 200 ? `${line.text.slice(0, 200)}…` : line.text;
        output.logNow(
          "WARN",
          `Skipped a stdin line that is not an Airbyte message (${line.reason}): ${text}`,
        );
      } else {
        // Most likely a record: skipping it would lose data silently.
        throw systemError(
          `An input line of ${line.bytes} bytes is too long to read; it starts with ${line.head}`,
        );
      }
    }
    if (batch.length > 0) yield batch;
  }
}

/** Turns a connector's stray console output into LOG messages, so stdout stays pure protocol. */
function redirectConsole(output: ProtocolOutput): () => void {
  const saved = {
    log: console.log,
    info: console.info,
    debug: console.debug,
    warn: console.warn,
    error: console.error,
  };
  const to =
    (level: LogLevel) =>
    (...args: unknown[]) =>
      output.logNow(level, format(...args));
  console.log = to("INFO");
  console.info = to("INFO");
  console.debug = to("DEBUG");
  console.warn = to("WARN");
  console.error = to("ERROR");
  return () => Object.assign(console, saved);
}

const isError = (message: AirbyteMessage) => message.type === "TRACE" && message.trace.type === "ERROR";

/**
 * The connector's bin: runs the Airbyte docker contract (`spec`, `check --config F`, `discover
 * --config F`, `read --config F --catalog F [--state F]`, `write --config F --catalog F` with
 * messages on stdin), prints JSON lines on stdout and sets the exit code: 0 on success (a check
 * that FAILED included), 1 after a TRACE ERROR, 2 on a usage error, 130/143 on SIGINT/SIGTERM.
 * Example (src/main.ts): `await runEntrypoint(sourceFaker)`
 */
export async function runEntrypoint(
  connector: Connector,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  const parsed = parseEntrypointArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`${connector.name} ${connector.version}: ${parsed.problem}\n${ENTRYPOINT_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal means "now": the user does not want to wait for a clean close.
    if (received !== undefined) process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
    received = signal;
    controller.abort(new Error(`received ${signal}`));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  const output = new ProtocolOutput(process.stdout, () => controller.abort(new Error("stdout closed")));
  const restoreConsole = redirectConsole(output);

  let failed = false;
  try {
    const built = await buildInvocation(connector, parsed.args, output);
    if (!built.ok) {
      failed = true;
      await output.write([errorTrace(built.message, "config_error")]);
      return;
    }
    for await (const batch of runConnector(connector, built.invocation, { signal: controller.signal })) {
      if (!failed && batch.some(isError)) failed = true;
      await output.write(batch);
    }
  } catch (error) {
    // runConnector turns connector failures into messages; this is a bug of the bin itself.
    failed = true;
    const stack = error instanceof Error ? error.stack : undefined;
    await output.write([
      errorTrace(`${connector.name} crashed: ${String(error)}`, "system_error", { stackTrace: stack }),
    ]);
  } finally {
    restoreConsole();
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    if (parsed.args.command === "write") process.stdin.destroy();
    process.exitCode = received !== undefined ? (SIGNAL_EXIT_CODES[received] ?? 1) : failed ? 1 : 0;
    if (received !== undefined) {
      const code = process.exitCode;
      setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
    }
  }
}
