import { compileRecordSchema } from "@weir/protocol";
import type { RecordData } from "./field-path.js";
import type { SchemaNode } from "./stream-schema.js";

/** Checks record data against a stream schema; a problem names the path and rule, never the value. */
export type RecordValidator = (data: RecordData) => string | undefined;

/**
 * Compiles a stream's JSON schema into a record check that reads data as Airbyte writes it
 * (`compileRecordSchema` of @weir/protocol), stopping at the first problem: records are only
 * counted or refused here. Throws when the schema is not valid JSON Schema.
 * Example: `createRecordValidator({ type: "object", properties: { age: { type: "integer" } } })({ age: "x" }) // "/age must be integer"`.
 */
export function createRecordValidator(schema: SchemaNode): RecordValidator {
  const check = compileRecordSchema(schema, { firstProblemOnly: true });
  return (data) => check(data)[0];
}
