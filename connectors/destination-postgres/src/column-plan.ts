/** Postgres column types this destination creates. */
export type PostgresColumnType =
  | "text"
  | "bigint"
  | "numeric"
  | "boolean"
  | "date"
  | "timestamp"
  | "timestamptz"
  | "time"
  | "timetz"
  | "bytea"
  | "jsonb";

/** One data column of a stream's table: the record field that feeds it, its type and schema. */
export interface PlannedColumn {
  /** The top-level record field; undefined for `_airbyte_data` of a schemaless stream. */
  readonly field: string | undefined;
  /** The column name: the field name, cut to 63 bytes and made unique when needed. */
  readonly column: string;
  readonly type: PostgresColumnType;
  /** The field's JSON schema (tells JSON text and base64 strings apart from plain strings). */
  readonly schema: Readonly<Record<string, unknown>>;
}

/** Airbyte's meta columns, first in every table, with the types Airbyte's Postgres destination uses. */
export const META_COLUMNS: readonly { readonly column: string; readonly type: string }[] = [
  { column: "_airbyte_raw_id", type: "varchar" },
  { column: "_airbyte_extracted_at", type: "timestamptz" },
  { column: "_airbyte_meta", type: "jsonb" },
  { column: "_airbyte_generation_id", type: "bigint" },
];

/** Where a stream without declared properties keeps its whole record. */
export const SCHEMALESS_COLUMN = "_airbyte_data";

/** Postgres truncates identifiers to 63 bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

const WELL_KNOWN_TYPES: Readonly<Record<string, PostgresColumnType>> = {
  String: "text",
  BinaryData: "text",
  Date: "date",
  TimestampWithTimezone: "timestamptz",
  TimestampWithoutTimezone: "timestamp",
  TimeWithTimezone: "timetz",
  TimeWithoutTimezone: "time",
  Number: "numeric",
  Integer: "bigint",
  Boolean: "boolean",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The column type for a property's JSON schema; jsonb for what has no column type of its own
 * (objects, arrays, unions of different types, unknown types).
 * Example: `columnTypeFor({ type: ["null", "string"], airbyte_type: "big_number" })` is `"numeric"`.
 */
export function columnTypeFor(schema: unknown): PostgresColumnType {
  if (!isRecord(schema)) return "jsonb";
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const name = /WellKnownTypes\.json#\/definitions\/(\w+)$/.exec(ref)?.[1];
    return (name === undefined ? undefined : WELL_KNOWN_TYPES[name]) ?? "jsonb";
  }
  const variants = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(variants) && schema.type === undefined) return unionType(variants);
  const declared = schema.type;
  if (Array.isArray(declared)) {
    const nonNull = declared.filter((t) => t !== "null");
    if (nonNull.length === 1) return scalarType(nonNull[0], schema);
    return unionType(nonNull.map((type) => ({ ...schema, type })));
  }
  return scalarType(declared, schema);
}

function unionType(variants: readonly unknown[]): PostgresColumnType {
  const types = new Set<PostgresColumnType>();
  for (const variant of variants) {
    if (isRecord(variant) && variant.type === "null") continue;
    types.add(columnTypeFor(variant));
  }
  const [only] = types;
  return types.size === 1 && only !== undefined ? only : "jsonb";
}

function scalarType(type: unknown, schema: Record<string, unknown>): PostgresColumnType {
  const airbyteType = schema.airbyte_type;
  switch (type) {
    case "string":
      return stringType(schema);
    case "integer":
      return "bigint";
    case "number":
      return airbyteType === "integer" ? "bigint" : "numeric";
    case "boolean":
      return "boolean";
    default:
      return "jsonb";
  }
}

function stringType(schema: Record<string, unknown>): PostgresColumnType {
  const { format, airbyte_type: airbyteType } = schema;
  // Exact numbers sent as text (Airbyte's big_number / big_integer): restored into numeric.
  if (airbyteType === "big_number" || airbyteType === "big_integer") return "numeric";
  if (schema.contentMediaType === "application/json") return "jsonb";
  if (schema.contentEncoding === "base64") return "bytea";
  if (format === "date" || airbyteType === "date") return "date";
  if (
    format === "date-time" ||
    airbyteType === "timestamp_with_timezone" ||
    airbyteType === "timestamp_without_timezone"
  ) {
    return airbyteType === "timestamp_without_timezone" ? "timestamp" : "timestamptz";
  }
  if (format === "time" || airbyteType === "time_with_timezone" || airbyteType === "time_without_timezone") {
    return airbyteType === "time_without_timezone" ? "time" : "timetz";
  }
  return "text";
}

/** `name` cut to at most `bytes` UTF-8 bytes, never inside a character. */
export function truncateUtf8(name: string, bytes = MAX_IDENTIFIER_BYTES): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  let out = "";
  let used = 0;
  for (const char of name) {
    const size = Buffer.byteLength(char);
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}

/**
 * The data columns of a stream's table, in schema order. A name that clashes with a meta
 * column or an earlier column (after Postgres' 63-byte cut) gets a `_2`, `_3`… suffix.
 * Example: `planColumns({ properties: { id: { type: "integer" } } })` is `[{ field: "id", column: "id", type: "bigint", … }]`.
 */
export function planColumns(jsonSchema: Record<string, unknown>): PlannedColumn[] {
  const properties = jsonSchema.properties;
  const declared = isRecord(properties) ? Object.entries(properties) : [];
  if (declared.length === 0) {
    // Dropping every field of a schemaless stream would lose all its data: keep it whole.
    return [{ field: undefined, column: SCHEMALESS_COLUMN, type: "jsonb", schema: {} }];
  }
  const taken = new Set(META_COLUMNS.map((m) => m.column));
  return declared.map(([field, schema]) => ({
    field,
    column: uniqueName(field === "" ? "_" : field, taken),
    type: columnTypeFor(schema),
    schema: isRecord(schema) ? schema : {},
  }));
}

// Bytes of a value of each fixed-width type in a heap row; the rest are varlena and can be
// moved out of line (TOAST), so they do not count against the page.
const FIXED_WIDTH: Readonly<Partial<Record<PostgresColumnType, number>>> = {
  bigint: 8,
  boolean: 1,
  date: 4,
  timestamp: 8,
  timestamptz: 8,
  time: 8,
  timetz: 12,
};
// A heap row must fit in one 8 kB page (8,160 bytes); the rest is headers, the null bitmap and
// inline varlena headers.
const MAX_FIXED_ROW_BYTES = 7_000;

/**
 * Integer columns of a table too wide for bigint (1,000 integer fields: 8 kB of bigints do not
 * fit in a Postgres row) become numeric, which holds every integer exactly in a few bytes.
 * Returns the columns to use and whether anything changed.
 */
export function fitRowWidth(columns: readonly PlannedColumn[]): {
  columns: PlannedColumn[];
  widened: boolean;
} {
  const fixed = (list: readonly PlannedColumn[]) =>
    list.reduce((sum, c) => sum + (FIXED_WIDTH[c.type] ?? 0), 16 /* meta: extracted_at, generation_id */);
  if (fixed(columns) <= MAX_FIXED_ROW_BYTES) return { columns: [...columns], widened: false };
  return {
    columns: columns.map((c) => (c.type === "bigint" ? { ...c, type: "numeric" as const } : c)),
    widened: true,
  };
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = truncateUtf8(base);
  for (let n = 2; taken.has(name); n++) {
    const suffix = `_${n}`;
    name = `${truncateUtf8(base, MAX_IDENTIFIER_BYTES - suffix.length)}${suffix}`;
  }
  taken.add(name);
  return name;
}
