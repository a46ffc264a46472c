import path from "node:path";
import { findBuiltin, listBuiltins } from "@weir/builtins";
import type { Connector } from "@weir/cdk";
import { type ConnectorHandle, createInProcessHandle, createProcessHandle } from "@weir/runtime";
import { closestMatch } from "./closest-match.js";
import type { CommandFailure, Outcome } from "./command-failure.js";
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
    `unknown connector "${name}"${hint}. Built-in ${side ?? "connector"}s: ${list}. To run any other program that speaks the Airbyte protocol, use command: instead.`,
  );
}

/**
 * Turns a pipeline's `connector:` or `command:` into a handle. Example:
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
  const handle = createProcessHandle({
    command: ref.argv,
    cwd: ref.cwd,
    // The command inherits weir's environment, as it would from a shell, plus the file's `env:`.
    env: { ...stringEnv(process.env), ...ref.env },
    // Absolute paths are shortened to their file name: the message names the program, not the disk.
    description: `command "${ref.argv.map((a) => (path.isAbsolute(a) ? path.basename(a) : a)).join(" ")}"`,
  });
  return { ok: true, value: handle };
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
