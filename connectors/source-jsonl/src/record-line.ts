import { configError, type RecordData } from "@weir/cdk";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The record a parsed line holds: the `_airbyte_data` of a raw line written by destination-jsonl
 * (or Airbyte's destination-local-json), else the line's own object.
 * Example: `recordDataOf({ _airbyte_raw_id: "…", _airbyte_data: { id: 1 } })` → `{ id: 1 }`.
 */
export function recordDataOf(value: Record<string, unknown>): RecordData {
  const inner = value._airbyte_data;
  if (isObject(inner) && ("_airbyte_raw_id" in value || "_airbyte_ab_id" in value)) return inner;
  return value;
}

/** Parses one line; undefined when it is not a JSON object. */
export function parseObjectLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A blank line separates nothing and holds no record. */
export const isBlank = (line: string): boolean => line.trim() === "";

/**
 * The record of line `lineNumber` of `path`; a line that is not a JSON object is a config error
 * that names the line but never quotes it (it may hold personal data).
 */
export function recordOfLine(line: string, path: string, lineNumber: number): RecordData {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    // Newer V8 messages quote the text; keep only the position.
    const position = /position (\d+)/.exec(String(error))?.[1];
    const where = position === undefined ? "" : ` at column ${Number(position) + 1}`;
    throw configError(`${path} line ${lineNumber} is not valid JSON${where}.`);
  }
  if (!isObject(value)) throw configError(`${path} line ${lineNumber} is not a JSON object.`);
  return recordDataOf(value);
}
