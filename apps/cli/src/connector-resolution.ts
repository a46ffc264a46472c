import path from "node:path";
import { findBuiltin, listBuiltins } from "@weir/builtins";
import type { Connector } from "@weir/cdk";
import {
  type ConnectorHandle,
  createContainerHandle,
  createInProcessHandle,
  createProcessHandle,
} from "@weir/runtime";
import { closestMatch } from "./closest-match.js";
import { type CommandFailure, configFailure, type Outcome } from "./command-failure.js";
import { splitCommandLine } from "./command-line.js";
import type { PipelineConnectorRef } from "./pipeline-file.js";

export type ConnectorSide = "source" | "destination";

const shortName = (name: string): string => name.replace(/^(source|destination)-/, "");

/** The built-ins of a kind, as users may write them: `faker (source-faker)`. */
function builtinNames(kind: ConnectorSide | undefined): string[] {
  return listBuiltins()
    .filter((b) => kind === undefined || b.kind === kind)
    .map((b) => b.name);
}

/**
 * Finds a built-in connector by full or short name, for a side of a pipeline or (side
 * undefined) for `weir spec NAME`; every miss is a config_error that says what exists.
 * Example: `findBuiltinConnector("faker", "source")`.
 */
export function findBuiltinConnector(
  name: string,
  side: ConnectorSide | undefined,
  where: string,
): Outcome<Connector> {
  const found = findBuiltin(name, side);
  if (found !== undefined) return { ok: true, value: found };
  const failure = (message: string): { ok: false; failure: CommandFailure } => ({
    ok: false,
    failure: { type: "config_error", origin: side ?? "platform", message: `${where}${message}` },
  });
  if (side !== undefined) {
    const other: ConnectorSide = side === "source" ? "destination" : "source";
    const elsewhere = findBuiltin(name, other);
    if (elsewhere !== undefined) {
      return failure(`${name} is a ${other} connector (${elsewhere.name}), it cannot be the ${side}`);
    }
  } else if (findBuiltin(name, "source") !== undefined && findBuiltin(name, "destination") !== undefined) {
    return failure(`${name} names two built-ins: source-${name} and destination-${name}; give the full name`);
  }
  const names = builtinNames(side);
  const candidates = [...names, ...names.map(shortName)];
  const guess = closestMatch(name, candidates);
  const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
  const list = names.map((n) => `${shortName(n)} (${n})`).join(", ");
  return failure(
    `unknown connector "${name}"${hint}. Built-in ${side ?? "connector"}s: ${list}. To run any other program that speaks the Airbyte protocol, use command: (or image: for a container image) instead.`,
  );
}

/**
 * Turns a pipeline's `connector:`, `command:` or `image:` into a handle. Example:
 * `resolveConnector(pipeline.source, "source", "quickstart.yaml")`.
 */
export function resolveConnector(
  ref: PipelineConnectorRef,
  side: ConnectorSide,
  file: string,
): Outcome<ConnectorHandle> {
  if (ref.type === "builtin") {
    const found = findBuiltinConnector(ref.name, side, `${file}: ${side}.connector: `);
    if (!found.ok) return found;
    return { ok: true, value: createInProcessHandle(found.value) };
  }
  if (ref.type === "image") {
    const { image, env, memory, cpus, network } = ref;
    return { ok: true, value: createContainerHandle({ image, env, memory, cpus, network }) };
  }
  const handle = createProcessHandle({
    command: ref.argv,
    cwd: ref.cwd,
    // The command inherits weir's environment, as it would from a shell, plus the file's `env:`.
    env: { ...stringEnv(process.env), ...ref.env },
    description: describeCommand(ref.argv),
  });
  return { ok: true, value: handle };
}

/** How a connector is named on the command line: exactly one of the three. */
export interface CliConnectorChoice {
  /** A built-in's name: `faker`, `source-faker`. */
  readonly name?: string | undefined;
  /** A local program: `python3 main.py`, run in the current folder with weir's environment. */
  readonly command?: string | undefined;
  /** A container image: `airbyte/source-faker:6.2.0`. */
  readonly image?: string | undefined;
}

/**
 * Turns a command line's `NAME`, `--command "…"` or `--image IMAGE` into a handle, for a side
 * (undefined: either). Example: `resolveCliConnector({ image: "airbyte/source-faker:6.2.0" }, "source")`.
 */
export function resolveCliConnector(
  choice: CliConnectorChoice,
  side: ConnectorSide | undefined,
): Outcome<ConnectorHandle> {
  const given = [choice.name, choice.command, choice.image].filter((value) => value !== undefined);
  if (given.length !== 1) {
    return configFailure(
      "platform",
      'name one connector: a built-in name, --command "<program>" or --image <image>',
    );
  }
  if (choice.name !== undefined) {
    const found = findBuiltinConnector(choice.name, side, "");
    return found.ok ? { ok: true, value: createInProcessHandle(found.value) } : found;
  }
  if (choice.image !== undefined) {
    if (!/^\S+$/.test(choice.image))
      return configFailure("platform", "--image: must be an image name without spaces");
    return { ok: true, value: createContainerHandle({ image: choice.image }) };
  }
  const split = splitCommandLine(choice.command ?? "");
  if (!split.ok) return configFailure("platform", `--command: ${split.message}`);
  if (split.argv.length === 0) return configFailure("platform", "--command is empty");
  return {
    ok: true,
    value: createProcessHandle({
      command: split.argv,
      env: stringEnv(process.env),
      description: describeCommand(split.argv),
    }),
  };
}

// Absolute paths are shortened to their file name: the message names the program, not the disk.
const describeCommand = (argv: readonly string[]): string =>
  `command "${argv.map((a) => (path.isAbsolute(a) ? path.basename(a) : a)).join(" ")}"`;

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
