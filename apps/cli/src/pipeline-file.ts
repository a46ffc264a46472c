import { readFile } from "node:fs/promises";
import path from "node:path";
import { MapperConfig, type RecordValidationMode } from "@weir/mappers";
import type { DestinationSyncMode, SyncMode } from "@weir/protocol";
import { type Document, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { closestMatch } from "./closest-match.js";
import { configFailure, type Outcome } from "./command-failure.js";
import { splitCommandLine } from "./command-line.js";
import { type EnvLookup, expandEnvInDocument } from "./env-expansion.js";
import { formatFieldPath } from "./field-path.js";
import {
  knownKeysAt,
  type PipelineConnectorContent,
  PipelineFileSchema,
  type PipelineStreamContent,
} from "./pipeline-schema.js";

/** A connector named by its built-in name. */
export interface BuiltinConnectorRef {
  readonly type: "builtin";
  readonly name: string;
  readonly config: Record<string, unknown>;
}

/** A local program that speaks the protocol. */
export interface CommandConnectorRef {
  readonly type: "command";
  readonly argv: readonly string[];
  /** Absolute; the pipeline file's folder unless the file says otherwise. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly config: Record<string, unknown>;
}

/** A connector image, run with podman or docker. */
export interface ImageConnectorRef {
  readonly type: "image";
  readonly image: string;
  readonly env: Readonly<Record<string, string>>;
  readonly memory: string | undefined;
  readonly cpus: number | undefined;
  readonly network: string | undefined;
  readonly config: Record<string, unknown>;
}

export type PipelineConnectorRef = BuiltinConnectorRef | CommandConnectorRef | ImageConnectorRef;

/** One stream the pipeline selects, with its settings normalised to the protocol's forms. */
export interface PipelineStream {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly syncMode: SyncMode | undefined;
  readonly destinationSyncMode: DestinationSyncMode | undefined;
  readonly cursorField: readonly string[] | undefined;
  readonly primaryKey: readonly (readonly string[])[] | undefined;
  readonly mappers: readonly MapperConfig[];
  readonly validation: RecordValidationMode;
}

/** A loaded, validated pipeline file. */
export interface Pipeline {
  /** Absolute path of the file. */
  readonly path: string;
  /** The path as the user gave it, for messages. */
  readonly displayPath: string;
  /** The file's folder: connectors run there, and relative paths in configs mean paths there. */
  readonly dir: string;
  /** `name:` from the file, else the file name without its extension. */
  readonly name: string;
  readonly source: PipelineConnectorRef;
  readonly destination: PipelineConnectorRef;
  /** Undefined: every stream of the source. */
  readonly streams: readonly PipelineStream[] | undefined;
  readonly heartbeatTimeoutMs: number;
}

const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 600;

/**
 * Reads, expands (`${VAR}`) and validates a pipeline file. Every expected problem is a
 * config_error naming the file and the field. Example: `await loadPipelineFile("examples/quickstart.yaml")`.
 */
export async function loadPipelineFile(
  file: string,
  options: { readonly env?: EnvLookup; readonly cwd?: string } = {},
): Promise<Outcome<Pipeline>> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : String(error);
    return configFailure("pipeline", `${file}: cannot read the pipeline file: ${reason}`);
  }
  return parsePipelineText(text, { file, absolute, env: options.env ?? process.env });
}

/** Parses a pipeline file's text; `file` is only used in messages. */
export function parsePipelineText(
  text: string,
  options: { readonly file: string; readonly absolute: string; readonly env: EnvLookup },
): Outcome<Pipeline> {
  const { file, absolute } = options;
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
  const envErrors = expandEnvInDocument(doc, options.env, lineOf);
  if (envErrors.length > 0) {
    const messages = envErrors.map((e) => `${file}: ${e.path}: ${e.message}${lineSuffix(e.line)}`);
    return configFailure("pipeline", messages.join("\n"));
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return configFailure("pipeline", `${file}: expected a mapping with source: and destination:`);
  }
  const parsed = PipelineFileSchema.safeParse(data);
  if (!parsed.success) {
    const messages = parsed.error.issues
      .flatMap((issue) => describeIssue(issue, data))
      .map((m) => {
        const line = lineAt(doc, m.path, lineOf);
        return `${file}: ${m.text}${lineSuffix(line)}`;
      });
    return configFailure("pipeline", messages.join("\n"));
  }
  const content = parsed.data;
  const dir = path.dirname(absolute);
  const problems: string[] = [];
  const source = connectorRef(content.source, "source", dir, problems);
  const destination = connectorRef(content.destination, "destination", dir, problems);
  const streams = content.streams?.map(normaliseStream);
  const seen = new Set<string>();
  streams?.forEach((stream, index) => {
    const key = `${stream.namespace ?? ""}.${stream.name}`;
    if (seen.has(key)) problems.push(`streams[${index}]: stream ${stream.name} is listed twice`);
    seen.add(key);
  });
  if (problems.length > 0 || source === undefined || destination === undefined) {
    return configFailure("pipeline", problems.map((p) => `${file}: ${p}`).join("\n"));
  }
  return {
    ok: true,
    value: {
      path: absolute,
      displayPath: file,
      dir,
      name: content.name ?? path.basename(absolute, path.extname(absolute)),
      source,
      destination,
      streams,
      heartbeatTimeoutMs: (content.heartbeat_timeout_seconds ?? DEFAULT_HEARTBEAT_TIMEOUT_SECONDS) * 1000,
    },
  };
}

const lineSuffix = (line: number | undefined): string => (line === undefined ? "" : ` (line ${line})`);

function lineAt(doc: Document, at: readonly PropertyKey[], lineOf: (node: Node) => number | undefined) {
  for (let n = at.length; n >= 0; n--) {
    const node: unknown = doc.getIn(at.slice(0, n) as unknown[], true);
    if (node !== null && typeof node === "object" && "range" in node) return lineOf(node as Node);
  }
  return undefined;
}

const CHOICES = "connector: (a built-in), command: (a local program) or image: (a container image)";

function connectorRef(
  content: PipelineConnectorContent,
  side: "source" | "destination",
  dir: string,
  problems: string[],
): PipelineConnectorRef | undefined {
  const config = content.config ?? {};
  const given = (["connector", "command", "image"] as const).filter((key) => content[key] !== undefined);
  if (given.length > 1) {
    problems.push(`${side}: give one of ${CHOICES}, not ${given.map((key) => `${key}:`).join(" and ")}`);
    return undefined;
  }
  const onlyWith = (keys: readonly (keyof PipelineConnectorContent)[], owner: string) => {
    for (const key of keys) {
      if (content[key] !== undefined) problems.push(`${side}.${key}: only allowed with ${owner}`);
    }
  };
  const env = Object.fromEntries(Object.entries(content.env ?? {}).map(([k, v]) => [k, String(v)]));
  if (content.connector !== undefined) {
    onlyWith(["cwd"], "command:");
    onlyWith(["env"], "command: or image:");
    onlyWith(["memory", "cpus", "network"], "image:");
    return { type: "builtin", name: content.connector, config };
  }
  if (content.image !== undefined) {
    onlyWith(["cwd"], "command:");
    for (const [key, value] of Object.entries(env)) {
      // A container's variables go through an env file, one per line.
      if (/[\r\n]/.test(value))
        problems.push(`${side}.env.${key}: a container cannot get a value with a line break`);
    }
    const { image, memory, cpus, network } = content;
    return { type: "image", image, env, memory, cpus, network, config };
  }
  if (content.command === undefined) {
    problems.push(`${side}: missing ${CHOICES}`);
    return undefined;
  }
  onlyWith(["memory", "cpus", "network"], "image:");
  let argv: readonly string[];
  if (typeof content.command === "string") {
    const split = splitCommandLine(content.command);
    if (!split.ok) {
      problems.push(`${side}.command: ${split.message}`);
      return undefined;
    }
    argv = split.argv;
  } else {
    argv = content.command;
  }
  return { type: "command", argv, cwd: path.resolve(dir, content.cwd ?? "."), env, config };
}

function normaliseStream(content: PipelineStreamContent): PipelineStream {
  const cursor = content.cursor_field;
  const key = content.primary_key;
  return {
    name: content.name,
    namespace: content.namespace,
    syncMode: content.sync_mode,
    destinationSyncMode: content.destination_sync_mode,
    cursorField: cursor === undefined ? undefined : typeof cursor === "string" ? [cursor] : cursor,
    primaryKey:
      key === undefined
        ? undefined
        : typeof key === "string"
          ? [[key]]
          : key.map((part) => (typeof part === "string" ? [part] : part)),
    mappers: content.mappers ?? [],
    validation: content.validation ?? "off",
  };
}

interface IssueText {
  readonly path: readonly PropertyKey[];
  readonly text: string;
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

// Messages never include the value the user wrote, which may come from a secret; only enum
// values (sync modes) are echoed, in a "did you mean" hint.
function describeIssue(issue: z.core.$ZodIssue, data: unknown): IssueText[] {
  const at = issue.path;
  const where = formatFieldPath(at);
  const value = valueAt(data, at);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(at) ?? (isMapperPath(at) ? mapperKeys(value) : []);
      return issue.keys.map((key) => {
        const guess = closestMatch(key, known);
        const hint = guess === undefined ? ` (allowed: ${known.join(", ")})` : ` (did you mean "${guess}"?)`;
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
    case "invalid_key":
      return [{ path: at, text: `${where}: ${issue.issues[0]?.message ?? "not a valid name"}` }];
    case "invalid_union":
      // The mappers' schema words its own: "unknown mapper type "x": expected one of …".
      if (isMapperPath(at)) return [{ path: at, text: `${where}: ${issue.message}` }];
      return [{ path: at, text: `${where}: ${unionHint(at)}, not ${describeType(value)}` }];
    case "too_small":
      if (issue.origin === "array") return [{ path: at, text: `${where}: must not be empty` }];
      if (issue.origin === "string") return [{ path: at, text: `${where}: must not be empty` }];
      return [{ path: at, text: `${where}: must be greater than ${String(issue.minimum)}` }];
    default:
      return [{ path: at, text: `${where}: ${issue.message}` }];
  }
}

/** `streams[i].mappers[j]` or below. */
const isMapperPath = (at: readonly PropertyKey[]): boolean => at[0] === "streams" && at[2] === "mappers";

/** The options a mapper of this type takes, for "did you mean" hints. */
function mapperKeys(mapper: unknown): string[] {
  const type = (mapper as { type?: unknown } | undefined)?.type;
  const option = MapperConfig.options.find((o) => o.shape.type.value === type);
  return option === undefined ? [] : Object.keys(option.shape);
}

function unionHint(at: readonly PropertyKey[]): string {
  const last = at[at.length - 1];
  if (last === "command") return "must be a command line or a list of words";
  if (last === "cursor_field") return "must be a field name or a list of names (a path)";
  if (last === "primary_key") return "must be a field name or a list of fields";
  return "has the wrong type";
}
