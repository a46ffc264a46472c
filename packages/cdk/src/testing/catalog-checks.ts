import {
  type AirbyteCatalog,
  type AirbyteRecordMessage,
  type ConfiguredAirbyteCatalog,
  streamKey,
} from "@weir/protocol";
import type { ValidateFunction } from "ajv";
import { compileJsonSchema } from "../json-schema-compiler.js";

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether a field path exists in a stream schema, following nested `properties`. */
function pathExists(schema: Node, path: readonly string[]): boolean {
  let node: unknown = schema;
  for (const segment of path) {
    const properties = isNode(node) ? node.properties : undefined;
    if (!isNode(properties) || !isNode(properties[segment])) return false;
    node = properties[segment];
  }
  return path.length > 0;
}

/**
 * What is wrong with a discovered catalog, as Airbyte's acceptance tests see it; empty when fine.
 * Example: `catalogProblems(catalog) // ['users: primary key ["uid"] is not in the schema']`
 */
export function catalogProblems(catalog: AirbyteCatalog): string[] {
  const problems: string[] = [];
  if (catalog.streams.length === 0) problems.push("the catalog has no streams");
  const seen = new Set<string>();
  for (const stream of catalog.streams) {
    const name = stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name;
    const key = streamKey(stream);
    if (seen.has(key)) problems.push(`${name}: the stream name is not unique`);
    seen.add(key);
    if (stream.supported_sync_modes.length === 0) problems.push(`${name}: no supported sync modes`);
    try {
      compileJsonSchema(stream.json_schema);
    } catch (error) {
      problems.push(`${name}: json_schema is not a valid JSON Schema: ${String(error)}`);
    }
    if (JSON.stringify(stream.json_schema).includes('"$ref"'))
      problems.push(`${name}: json_schema must not use $ref`);
    for (const key of stream.source_defined_primary_key ?? []) {
      if (!pathExists(stream.json_schema, key))
        problems.push(`${name}: primary key ${JSON.stringify(key)} is not in the schema`);
    }
    const cursor = stream.default_cursor_field;
    if (cursor != null && cursor.length > 0 && !pathExists(stream.json_schema, cursor)) {
      problems.push(`${name}: default cursor ${JSON.stringify(cursor)} is not in the schema`);
    }
    if (
      stream.supported_sync_modes.includes("incremental") &&
      stream.source_defined_cursor === true &&
      !cursor?.length
    ) {
      problems.push(`${name}: a source-defined cursor needs default_cursor_field`);
    }
  }
  return problems;
}

// Airbyte's temporal values: RFC 3339 with an optional time zone and an optional " BC"; the
// acceptance tests accept a space for the "T" too.
const OFFSET = "(?:z|[+-]\\d{2}(?::?\\d{2})?)?";
const LENIENT_FORMATS = {
  date: /^\d{4,}-\d{2}-\d{2}(?: BC)?$/i,
  "date-time": new RegExp(
    `^\\d{4,}-\\d{2}-\\d{2}[t ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?${OFFSET}(?: BC)?$`,
    "i",
  ),
  time: new RegExp(`^\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?${OFFSET}$`, "i"),
};

/** Fields of `data` that its schema does not declare, where the schema lists `properties`. */
function undeclaredFields(schema: unknown, data: unknown, path: string, out: string[]): void {
  if (!isNode(schema) || !isNode(data) || !isNode(schema.properties)) return;
  for (const [key, value] of Object.entries(data)) {
    const at = path === "" ? key : `${path}.${key}`;
    const property = schema.properties[key];
    if (property === undefined) out.push(at);
    else undeclaredFields(property, value, at, out);
  }
}

/**
 * Checks records against their stream's schema in a configured catalog (compiled once per
 * stream): type errors, formats as Airbyte reads them, fields the schema does not declare, and
 * records of streams the catalog does not configure. Returns the problems of one record.
 * Example: `const check = createRecordChecker(catalog); check(record) // ['users: /age must be integer']`
 */
export function createRecordChecker(
  catalog: ConfiguredAirbyteCatalog,
): (record: AirbyteRecordMessage) => string[] {
  const validators = new Map<string, { validate: ValidateFunction; schema: Node; name: string }>();
  for (const configured of catalog.streams) {
    const { stream } = configured;
    const name = stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name;
    validators.set(streamKey(stream), {
      validate: compileJsonSchema(stream.json_schema, { formats: LENIENT_FORMATS }),
      schema: stream.json_schema,
      name,
    });
  }
  return (record) => {
    const entry = validators.get(streamKey({ name: record.stream, namespace: record.namespace }));
    if (entry === undefined) return [`${record.stream}: a record of a stream that is not configured`];
    const problems: string[] = [];
    if (!entry.validate(record.data)) {
      for (const error of entry.validate.errors ?? [])
        problems.push(`${entry.name}: ${error.instancePath || "/"} ${error.message}`);
    }
    const extra: string[] = [];
    undeclaredFields(entry.schema, record.data, "", extra);
    for (const field of extra) problems.push(`${entry.name}: field ${field} is not in the schema`);
    return problems;
  };
}
