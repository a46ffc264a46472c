import {
  type AirbyteCatalog,
  type AirbyteRecordMessage,
  type ConfiguredAirbyteCatalog,
  compileJsonSchema,
  createRecordSchemaChecker,
  streamKey,
} from "@weir/protocol";
import { schemaAtPath } from "../schema-walk.js";
import { refProblems } from "../spec-rules.js";

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
    if (refProblems(stream.json_schema).length > 0) problems.push(`${name}: json_schema must not use $ref`);
    for (const key of stream.source_defined_primary_key ?? []) {
      if (schemaAtPath(stream.json_schema, key) === undefined)
        problems.push(`${name}: primary key ${JSON.stringify(key)} is not in the schema`);
    }
    const cursor = stream.default_cursor_field;
    if (cursor != null && cursor.length > 0 && schemaAtPath(stream.json_schema, cursor) === undefined) {
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

/**
 * Checks records against their stream's schema in a configured catalog (`createRecordSchemaChecker`
 * of @weir/protocol): type errors, formats as Airbyte reads them, fields the schema does not
 * declare, and records of streams the catalog does not configure. Returns one record's problems.
 * Example: `const check = createRecordChecker(catalog); check(record) // ['users: /age must be integer']`
 */
export function createRecordChecker(
  catalog: ConfiguredAirbyteCatalog,
): (record: AirbyteRecordMessage) => string[] {
  const check = createRecordSchemaChecker(catalog);
  return (record) => {
    const problems = check(record);
    return problems === undefined
      ? [`${record.stream}: a record of a stream that is not configured`]
      : [...problems];
  };
}
