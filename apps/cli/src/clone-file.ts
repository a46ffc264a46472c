import { readFile } from "node:fs/promises";
import path from "node:path";
import { CloneConfig, CloneEndpoint, SubsetConfig } from "@weir/clone";
import { MapperConfig } from "@weir/mappers";
import { type Document, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { closestMatch } from "./closest-match.js";
import { configFailure, type Outcome } from "./command-failure.js";
import { type EnvLookup, expandEnvInDocument } from "./env-expansion.js";
import { formatFieldPath } from "./field-path.js";

/** A loaded clone file. */
export interface CloneFile {
  /** Absolute path of the file. */
  readonly path: string;
  /** Its folder: javascript mapper modules are found from there. */
  readonly dir: string;
  readonly config: CloneConfig;
  /** Every string that came from the environment and a password field: hidden in messages. */
  readonly secrets: readonly string[];
}

/**
 * Reads, expands (`${VAR}`) and validates a clone file; every expected problem is a config_error
 * naming the file, the field and the line. Example: `await loadCloneFile("clone.yaml")`.
 */
export async function loadCloneFile(
  file: string,
  options: { readonly env?: EnvLookup; readonly cwd?: string } = {},
): Promise<Outcome<CloneFile>> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : String(error);
    return configFailure("pipeline", `${file}: cannot read the clone file: ${reason}`);
  }
  return parseCloneText(text, { file, absolute, env: options.env ?? process.env });
}

/** Parses a clone file's text; `file` is only used in messages. */
export function parseCloneText(
  text: string,
  options: { readonly file: string; readonly absolute: string; readonly env: EnvLookup },
): Outcome<CloneFile> {
  const { file } = options;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const messages = doc.errors.map((error) => {
      const at = lines.linePos(error.pos[0]);
      const where = at === undefined ? "" : ` at line ${at.line}, column ${at.col}`;
      return `${file}: not valid YAML${where}: ${error.message.split("\n")[0]}`;
    });
    return configFailure("pipeline", messages.join("\n"));
  }
  const lineOf = (node: Node): number | undefined =>
    node.range === undefined || node.range === null ? undefined : lines.linePos(node.range[0]).line;
  const secrets = environmentValues(text, options.env);
  const envErrors = expandEnvInDocument(doc, options.env, lineOf);
  if (envErrors.length > 0) {
    const messages = envErrors.map((e) => `${file}: ${e.path}: ${e.message}${lineSuffix(e.line)}`);
    return configFailure("pipeline", messages.join("\n"));
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return configFailure("pipeline", `${file}: expected a mapping with source: and destination:`);
  }
  const parsed = CloneConfig.safeParse(data);
  if (!parsed.success) {
    const messages = parsed.error.issues
      .flatMap((issue) => describeIssue(issue, data))
      .map((m) => `${file}: ${m.text}${lineSuffix(lineAt(doc, m.path, lineOf))}`);
    return configFailure("pipeline", messages.join("\n"));
  }
  for (const side of ["source", "destination"] as const) {
    const password = parsed.data[side].config.password;
    if (password !== undefined && password !== "") secrets.push(password);
  }
  return {
    ok: true,
    value: { path: options.absolute, dir: path.dirname(options.absolute), config: parsed.data, secrets },
  };
}

/** Values of the variables the file references: they may be keys or passwords. */
function environmentValues(text: string, env: EnvLookup): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const value = env[match[1] as string];
    if (value !== undefined && value.length >= 4) out.push(value);
  }
  return out;
}

const lineSuffix = (line: number | undefined): string => (line === undefined ? "" : ` (line ${line})`);

function lineAt(doc: Document, at: readonly PropertyKey[], lineOf: (node: Node) => number | undefined) {
  for (let n = at.length; n >= 0; n--) {
    const node: unknown = doc.getIn(at.slice(0, n) as unknown[], true);
    if (node !== null && typeof node === "object" && "range" in node) return lineOf(node as Node);
  }
  return undefined;
}

function valueAt(data: unknown, at: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of at) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

const describeType = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "a list"
      : typeof value === "object"
        ? "a mapping"
        : typeof value;

const expectedText: Record<string, string> = {
  string: "a string",
  number: "a number",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  boolean: "true or false",
};

function knownKeys(at: readonly PropertyKey[], value: unknown): string[] {
  if (at.length === 0) return Object.keys(CloneConfig.shape);
  if (at.length === 1 && (at[0] === "source" || at[0] === "destination"))
    return Object.keys(CloneEndpoint.shape);
  if (at.length === 1 && at[0] === "subset") return Object.keys(SubsetConfig.shape);
  if (at[0] === "subset" && at[1] === "start") return ["table", "percent", "where"];
  if (at[0] === "masking" && at.length === 3) {
    const type = (value as { type?: unknown } | undefined)?.type;
    const option = MapperConfig.options.find((o) => o.shape.type.value === type);
    return option === undefined ? [] : Object.keys(option.shape);
  }
  return [];
}

// Messages never include the value written, which may come from a secret.
function describeIssue(
  issue: z.core.$ZodIssue,
  data: unknown,
): { path: readonly PropertyKey[]; text: string }[] {
  const at = issue.path;
  const where = formatFieldPath(at) || "the file";
  const value = valueAt(data, at);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(at, value);
      return issue.keys.map((key) => {
        const guess = closestMatch(key, known);
        const hint =
          guess !== undefined
            ? ` (did you mean "${guess}"?)`
            : known.length > 0
              ? ` (allowed: ${known.join(", ")})`
              : "";
        return { path: [...at, key], text: `${formatFieldPath([...at, key])}: unknown key${hint}` };
      });
    }
    case "invalid_type":
      if (value === undefined) return [{ path: at, text: `${where}: missing (required)` }];
      return [
        {
          path: at,
          text: `${where}: must be ${expectedText[issue.expected] ?? issue.expected}, not ${describeType(value)}`,
        },
      ];
    case "invalid_value": {
      const allowed = issue.values.map(String);
      const guess = typeof value === "string" ? closestMatch(value, allowed) : undefined;
      const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
      return [{ path: at, text: `${where}: must be one of ${allowed.join(", ")}${hint}` }];
    }
    case "too_small":
      if (issue.origin === "array" || issue.origin === "string")
        return [{ path: at, text: `${where}: must not be empty` }];
      return [{ path: at, text: `${where}: ${issue.message}` }];
    default:
      return [{ path: at, text: `${where}: ${issue.message}` }];
  }
}
