/** A column as information_schema.COLUMNS describes it. */
export interface ColumnInfo {
  readonly name: string;
  /** DATA_TYPE, lower case: `int`, `varchar`, `datetime`, … */
  readonly dataType: string;
  /** COLUMN_TYPE, lower case: `int(10) unsigned`, `tinyint(1)`, `enum('a','b')`, … */
  readonly columnType: string;
  readonly nullable: boolean;
  readonly numericPrecision: number | null;
  readonly numericScale: number | null;
  readonly characterMaximumLength: number | null;
  /** MariaDB's JSON is LONGTEXT with a json_valid check; MySQL's has its own type. */
  readonly isJson: boolean;
}

/**
 * How a column's values become record values:
 * - `asis`: mysql2's value is already right (integers as numbers, or exact strings past 2^53;
 *   DECIMAL as its exact text; text);
 * - `integer_text`: integers always as exact decimal text (BIGINT UNSIGNED, see below);
 * - `boolean_int` / `boolean_bit`: TINYINT(1) and BIT(1) as true/false;
 * - `binary`: bytes as base64;
 * - `date`, `datetime`, `timestamp`: ISO 8601 text, zero dates as null;
 * - `time`: `HH:MM:SS[.ffffff]`, values outside a day as null;
 * - `text`: anything unknown, as text (bytes as base64).
 */
export type ValueKind =
  | "asis"
  | "integer_text"
  | "boolean_int"
  | "boolean_bit"
  | "binary"
  | "date"
  | "datetime"
  | "timestamp"
  | "time"
  | "text";

/** How a key or cursor value is written back into SQL: digits, a quoted string, or X'…' bytes. */
export type LiteralKind = "number" | "string" | "binary";

/** Everything the source decides about one column. */
export interface ColumnType {
  readonly jsonSchema: Record<string, unknown>;
  readonly kind: ValueKind;
  /** The SELECT expression for `column` (already quoted), e.g. CAST(… AS BINARY) for geometry. */
  readonly select: (quoted: string) => string;
  /** How its values appear in WHERE clauses; undefined when it cannot be a key or cursor. */
  readonly literal: LiteralKind | undefined;
  /** Why it cannot be a cursor, when it cannot. */
  readonly notCursor: string | undefined;
}

const nullable = (type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: ["null", type],
  ...extra,
});

const plain = (quoted: string) => quoted;
const asBinary = (quoted: string) => `CAST(${quoted} AS BINARY)`;

const INTEGER_TYPES = new Set(["tinyint", "smallint", "mediumint", "int", "integer", "bigint"]);
const BINARY_TYPES = new Set(["binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"]);
const TEXT_TYPES = new Set([
  "char",
  "varchar",
  "tinytext",
  "text",
  "mediumtext",
  "longtext",
  "enum",
  "set",
  "uuid",
  "inet4",
  "inet6",
]);
const GEOMETRY_TYPES = new Set([
  "geometry",
  "point",
  "linestring",
  "polygon",
  "multipoint",
  "multilinestring",
  "multipolygon",
  "geometrycollection",
  "geomcollection",
]);

// Exact numbers a double cannot hold travel as text (records are serialised with JSON.stringify),
// typed as Airbyte's big_number / big_integer, as Weir's source-postgres does. `precision` and
// `scale`, and the bounds of BIGINT UNSIGNED, let a destination make the same column again
// (destination-mysql does); the maximum serialises as 18446744073709552000, fine for a bound.
const UNSIGNED_BIGINT = { airbyte_type: "big_integer", minimum: 0, maximum: 2 ** 64 - 1 };

/**
 * Maps a column to its JSON schema (Airbyte's types and `airbyte_type`s) and value handling.
 * Example: `columnTypeFor({ dataType: "decimal", numericPrecision: 10, numericScale: 2, … }).jsonSchema`
 * is `{ type: ["null", "string"], airbyte_type: "big_number", precision: 10, scale: 2 }`.
 */
export function columnTypeFor(column: ColumnInfo, tinyint1AsInteger = false): ColumnType {
  const dataType = column.dataType;
  const unsigned = column.columnType.includes("unsigned");
  if (dataType === "tinyint" && column.columnType === "tinyint(1)" && !tinyint1AsInteger) {
    return typed(nullable("boolean"), "boolean_int", "number");
  }
  if (dataType === "bigint" && unsigned)
    return typed(nullable("string", UNSIGNED_BIGINT), "integer_text", "number");
  if (INTEGER_TYPES.has(dataType)) return typed(nullable("integer"), "asis", "number");
  if (dataType === "year") return typed(nullable("integer"), "asis", "number");
  if (dataType === "decimal" || dataType === "numeric") {
    const extra: Record<string, unknown> = { airbyte_type: "big_number" };
    if (column.numericPrecision !== null) extra.precision = column.numericPrecision;
    if (column.numericScale !== null) extra.scale = column.numericScale;
    return typed(nullable("string", extra), "asis", "number");
  }
  if (dataType === "float") {
    // A FLOAT read back as text is rounded, so `f > 1.1` can hold for the row whose value shows as 1.1.
    return {
      ...typed(nullable("number"), "asis", "number"),
      notCursor: "FLOAT values compare inexactly; use a DOUBLE, DECIMAL, integer or date column",
    };
  }
  if (dataType === "double" || dataType === "real" || dataType === "double precision") {
    return typed(nullable("number"), "asis", "number");
  }
  if (dataType === "bit") {
    if (column.columnType === "bit(1)") return typed(nullable("boolean"), "boolean_bit", "binary");
    return typed(nullable("string", { contentEncoding: "base64" }), "binary", "binary");
  }
  if (dataType === "date") return typed(nullable("string", { format: "date" }), "date", "string");
  if (dataType === "datetime") {
    return typed(
      nullable("string", { format: "date-time", airbyte_type: "timestamp_without_timezone" }),
      "datetime",
      "string",
    );
  }
  if (dataType === "timestamp") {
    return typed(
      nullable("string", { format: "date-time", airbyte_type: "timestamp_with_timezone" }),
      "timestamp",
      "string",
    );
  }
  if (dataType === "time") {
    return typed(
      nullable("string", { format: "time", airbyte_type: "time_without_timezone" }),
      "time",
      "string",
    );
  }
  if (BINARY_TYPES.has(dataType)) {
    return typed(nullable("string", { contentEncoding: "base64" }), "binary", "binary");
  }
  if (GEOMETRY_TYPES.has(dataType)) {
    return {
      jsonSchema: nullable("string", { contentEncoding: "base64" }),
      kind: "binary",
      select: asBinary,
      literal: undefined,
      notCursor: "geometry values have no order",
    };
  }
  if (dataType === "json" || column.isJson) {
    return {
      ...typed(nullable("string", { contentMediaType: "application/json" }), "asis", "string"),
      notCursor: "JSON values have no useful order",
    };
  }
  if (TEXT_TYPES.has(dataType)) {
    const length = column.characterMaximumLength;
    const bounded = (dataType === "char" || dataType === "varchar") && length !== null;
    return typed(nullable("string", bounded ? { maxLength: length } : {}), "asis", "string");
  }
  return {
    jsonSchema: nullable("string"),
    kind: "text",
    select: plain,
    literal: undefined,
    notCursor: `values of type ${column.columnType} have no known order`,
  };
}

function typed(jsonSchema: Record<string, unknown>, kind: ValueKind, literal: LiteralKind): ColumnType {
  return { jsonSchema, kind, select: plain, literal, notCursor: undefined };
}
