import { compileJsonSchema } from "./json-schema-compiler.js";
import { streamKey } from "./message-builders.js";
import type { AirbyteRecordMessage, ConfiguredAirbyteCatalog } from "./schemas.js";

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// Airbyte's temporal values: RFC 3339 with an optional time zone (timestamps without one are
// valid) and an optional " BC"; its acceptance tests accept a space for the "T" too.
const OFFSET = "(?:z|[+-]\\d{2}(?::?\\d{2})?)?";
const AIRBYTE_FORMATS = {
  date: /^\d{4,}-\d{2}-\d{2}(?: BC)?$/i,
  "date-time": new RegExp(
    `^\\d{4,}-\\d{2}-\\d{2}[t ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?${OFFSET}(?: BC)?$`,
    "i",
  ),
  time: new RegExp(`^\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?${OFFSET}$`, "i"),
};

const WELL_KNOWN: Readonly<Record<string, Node>> = {
  String: { type: "string" },
  BinaryData: { type: "string" },
  Date: { type: "string", format: "date" },
  TimestampWithTimezone: { type: "string", format: "date-time" },
  TimestampWithoutTimezone: { type: "string", format: "date-time" },
  TimeWithTimezone: { type: "string", format: "time" },
  TimeWithoutTimezone: { type: "string", format: "time" },
  Number: { type: "number" },
  Integer: { type: "integer" },
  Boolean: { type: "boolean" },
};

/** The schema with Airbyte's legacy `WellKnownTypes.json` references replaced by what they mean. */
function resolveWellKnownTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolveWellKnownTypes);
  if (!isNode(node)) return node;
  if (typeof node.$ref === "string" && node.$ref.startsWith("WellKnownTypes.json")) {
    const name = /#\/definitions\/(\w+)$/.exec(node.$ref)?.[1];
    const { $ref: _ref, ...rest } = node;
    return { ...rest, ...(name === undefined ? {} : WELL_KNOWN[name]) };
  }
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) out[key] = resolveWellKnownTypes(value);
  return out;
}

/** Fields of `data` its schema does not declare, where the schema lists `properties`. */
function undeclaredFields(schema: unknown, data: unknown, path: string, out: string[]): void {
  if (!isNode(schema) || !isNode(data) || !isNode(schema.properties)) return;
  for (const [key, value] of Object.entries(data)) {
    const at = path === "" ? key : `${path}.${key}`;
    const property = schema.properties[key];
    if (property === undefined) out.push(at);
    else undeclaredFields(property, value, at, out);
  }
}

export interface RecordSchemaOptions {
  /** Stop at the first problem (ajv's allErrors off): cheaper where records are only counted or refused. */
  readonly firstProblemOnly?: boolean;
  /** Also name fields the schema does not declare where it lists `properties` (Airbyte's fail_on_extra_columns). */
  readonly undeclaredFields?: boolean;
}

/**
 * One record's problems against its stream's schema, each naming the path and the rule but never
 * the value (`"/age must be integer"`, `"field extra is not in the schema"`); empty when it fits.
 */
export type RecordSchemaCheck = (data: unknown) => readonly string[];

const NO_PROBLEMS: readonly string[] = Object.freeze([]);

/**
 * Compiles a stream's json_schema (draft-07, 2019-09 or 2020-12, from `$schema`) into a record
 * check that reads data as Airbyte writes it: its date, date-time and time formats, and its legacy
 * `WellKnownTypes.json` references. Throws when the schema is not valid JSON Schema.
 * Example: `compileRecordSchema({ type: "object", properties: { age: { type: "integer" } } })({ age: "x" }) // ["/age must be integer"]`
 */
export function compileRecordSchema(schema: Node, options: RecordSchemaOptions = {}): RecordSchemaCheck {
  const resolved = resolveWellKnownTypes(schema) as Node;
  const validate = compileJsonSchema(resolved, {
    formats: AIRBYTE_FORMATS,
    allErrors: options.firstProblemOnly !== true,
    quiet: true,
  });
  const extraFields = options.undeclaredFields === true;
  return (data) => {
    const valid = validate(data);
    if (valid && !extraFields) return NO_PROBLEMS;
    const problems: string[] = [];
    if (!valid) {
      for (const error of validate.errors ?? []) {
        problems.push(`${error.instancePath || "/"} ${error.message ?? error.keyword}`);
      }
      if (problems.length === 0) problems.push("/ does not match the schema");
    }
    if (extraFields && (problems.length === 0 || options.firstProblemOnly !== true)) {
      const extra: string[] = [];
      undeclaredFields(resolved, data, "", extra);
      for (const field of extra) problems.push(`field ${field} is not in the schema`);
    }
    return problems.length === 0 ? NO_PROBLEMS : problems;
  };
}

/**
 * Checks records against their stream's json_schema as Airbyte's basic read test does (its
 * formats, and no field the schema does not declare), each stream's schema compiled once. The
 * returned function gives one record's problems, prefixed with its stream (`namespace.name`),
 * or undefined when the catalog does not configure its stream.
 * Example: `createRecordSchemaChecker(catalog)(record) // ["users: /age must be integer"]`
 */
export function createRecordSchemaChecker(
  catalog: ConfiguredAirbyteCatalog,
): (record: AirbyteRecordMessage) => readonly string[] | undefined {
  const streams = new Map<string, { check: RecordSchemaCheck | undefined; label: string }>();
  for (const { stream } of catalog.streams) {
    const label = stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name;
    let check: RecordSchemaCheck | undefined;
    try {
      check = compileRecordSchema(stream.json_schema, { undeclaredFields: true });
    } catch {
      // A schema that does not compile is a discover problem; here its records cannot be checked.
      check = undefined;
    }
    streams.set(streamKey(stream), { check, label });
  }
  return (record) => {
    const entry = streams.get(streamKey({ name: record.stream, namespace: record.namespace }));
    if (entry === undefined) return undefined;
    if (entry.check === undefined) return [`${entry.label}: its json_schema does not compile`];
    const problems = entry.check(record.data);
    return problems.length === 0 ? NO_PROBLEMS : problems.map((problem) => `${entry.label}: ${problem}`);
  };
}
