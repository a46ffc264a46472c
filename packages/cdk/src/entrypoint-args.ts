import type { ConnectorCommand } from "@weir/protocol";

/** A parsed command line of the Airbyte docker contract. */
export interface EntrypointArgs {
  readonly command: ConnectorCommand;
  readonly config?: string;
  readonly catalog?: string;
  readonly state?: string;
}

export const ENTRYPOINT_USAGE = [
  "usage:",
  "  spec",
  "  check --config <config.json>",
  "  discover --config <config.json>",
  "  read --config <config.json> --catalog <catalog.json> [--state <state.json>]",
  "  write --config <config.json> --catalog <catalog.json>   (messages on stdin)",
].join("\n");

const REQUIRED: Record<ConnectorCommand, readonly ("config" | "catalog")[]> = {
  spec: [],
  check: ["config"],
  discover: ["config"],
  read: ["config", "catalog"],
  write: ["config", "catalog"],
};
const ALLOWED: Record<ConnectorCommand, readonly string[]> = {
  spec: [],
  check: ["config"],
  discover: ["config"],
  read: ["config", "catalog", "state"],
  write: ["config", "catalog"],
};

const isCommand = (value: string | undefined): value is ConnectorCommand =>
  value !== undefined && Object.hasOwn(REQUIRED, value);

/**
 * Parses `read --config c.json --catalog k.json` (also `--config=c.json`); a usage problem is a
 * value. `--debug`, which Airbyte's Python CDK accepts, is accepted and ignored.
 * Example: `parseEntrypointArgs(["check", "--config", "c.json"]) // { ok: true, args: { command: "check", config: "c.json" } }`
 */
export function parseEntrypointArgs(
  argv: readonly string[],
): { readonly ok: true; readonly args: EntrypointArgs } | { readonly ok: false; readonly problem: string } {
  const [command, ...rest] = argv;
  if (!isCommand(command)) {
    return {
      ok: false,
      problem: command === undefined ? "no command given" : `unknown command "${command}"`,
    };
  }
  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    if (arg === "--debug") continue;
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (match === null || name === undefined || !ALLOWED[command].includes(name)) {
      return { ok: false, problem: `unexpected argument "${arg}" for ${command}` };
    }
    const value = match[2] ?? rest[++i];
    if (value === undefined || value === "") return { ok: false, problem: `--${name} needs a file path` };
    values[name] = value;
  }
  for (const name of REQUIRED[command]) {
    if (values[name] === undefined) return { ok: false, problem: `${command} needs --${name} <file>` };
  }
  const args: { -readonly [K in keyof EntrypointArgs]: EntrypointArgs[K] } = { command };
  if (values.config !== undefined) args.config = values.config;
  if (values.catalog !== undefined) args.catalog = values.catalog;
  if (values.state !== undefined) args.state = values.state;
  return { ok: true, args };
}
