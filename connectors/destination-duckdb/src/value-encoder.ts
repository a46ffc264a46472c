import type { DuckDBAppender } from "@duckdb/node-api";

/** What happened to a value: appended as is, or nulled for a reason of `_airbyte_meta.changes`. */
export const APPENDED = 0;
export const NULLED_SERIALIZATION = 1;
export const NULLED_SIZE = 2;
export type AppendOutcome = typeof APPENDED | typeof NULLED_SERIALIZATION | typeof NULLED_SIZE;

export const CHANGE_REASONS = {
  [NULLED_SERIALIZATION]: "DESTINATION_SERIALIZATION_ERROR",
  [NULLED_SIZE]: "DESTINATION_FIELD_SIZE_LIMITATION",
} as const;

/**
 * How one column's values travel: appended to a staging column of `stageType` (cheap checks in
 * JavaScript), then cast in DuckDB to the table's type with TRY_CAST when the types differ.
 */
export interface ColumnEncoder {
  readonly stageType: "VARCHAR" | "JSON" | "DOUBLE" | "BOOLEAN";
  /** The SQL type to TRY_CAST the staged value to, or undefined when the staged type is the column's. */
  readonly castTo: string | undefined;
  /** Why a value that fails that cast is nulled. */
  readonly castFailure: typeof NULLED_SERIALIZATION | typeof NULLED_SIZE;
  /** Appends a non-null value, or a NULL when it does not fit, and says which. */
  append(appender: DuckDBAppender, value: unknown): AppendOutcome;
}

const INTEGER_TYPES = new Set([
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "HUGEINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
  "UHUGEINT",
]);
const TEMPORAL_TYPES = new Set([
  "DATE",
  "TIME",
  "TIMETZ",
  "TIME WITH TIME ZONE",
  "TIMESTAMP",
  "TIMESTAMPTZ",
  "TIMESTAMP WITH TIME ZONE",
  "TIMESTAMP_S",
  "TIMESTAMP_MS",
  "TIMESTAMP_NS",
]);
const INTEGER_TEXT = /^[-+]?\d+$/;

/** The encoder for a column of the given DuckDB type, e.g. `encoderFor("TIMESTAMP WITH TIME ZONE")`. */
export function encoderFor(columnType: string): ColumnEncoder {
  const type = columnType.toUpperCase();
  if (type === "VARCHAR")
    return { stageType: "VARCHAR", castTo: undefined, castFailure: 1, append: appendText };
  if (type === "JSON") return { stageType: "JSON", castTo: undefined, castFailure: 1, append: appendJson };
  if (type === "BOOLEAN")
    return { stageType: "BOOLEAN", castTo: undefined, castFailure: 1, append: appendBoolean };
  if (type === "DOUBLE" || type === "FLOAT") {
    const castTo = type === "DOUBLE" ? undefined : type;
    return { stageType: "DOUBLE", castTo, castFailure: NULLED_SIZE, append: appendNumber };
  }
  // Integers arrive as exact decimal text, so a failed cast can only mean "too large".
  if (INTEGER_TYPES.has(type)) {
    return { stageType: "VARCHAR", castTo: type, castFailure: NULLED_SIZE, append: appendInteger };
  }
  if (TEMPORAL_TYPES.has(type)) {
    return { stageType: "VARCHAR", castTo: type, castFailure: NULLED_SERIALIZATION, append: appendTemporal };
  }
  // A column of a type we never create (the table came from elsewhere): let DuckDB try.
  return { stageType: "VARCHAR", castTo: columnType, castFailure: NULLED_SERIALIZATION, append: appendText };
}

// Every value can become text without loss: objects and arrays as JSON.
function appendText(appender: DuckDBAppender, value: unknown): AppendOutcome {
  appender.appendVarchar(
    typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value),
  );
  return APPENDED;
}

function appendJson(appender: DuckDBAppender, value: unknown): AppendOutcome {
  appender.appendVarchar(JSON.stringify(value));
  return APPENDED;
}

// The protocol's booleans are JSON booleans: not "true", not 1.
function appendBoolean(appender: DuckDBAppender, value: unknown): AppendOutcome {
  if (typeof value !== "boolean") return appendNull(appender, NULLED_SERIALIZATION);
  appender.appendBoolean(value);
  return APPENDED;
}

// Numeric strings are accepted: the legacy WellKnownTypes plan sent numbers as strings.
function appendNumber(appender: DuckDBAppender, value: unknown): AppendOutcome {
  if (typeof value === "number") {
    // JSON.parse turns 1e400 into Infinity: the value was too large for a double.
    if (!Number.isFinite(value)) return appendNull(appender, NULLED_SIZE);
    appender.appendDouble(value);
    return APPENDED;
  }
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    if (Number.isFinite(parsed)) {
      appender.appendDouble(parsed);
      return APPENDED;
    }
  }
  return appendNull(appender, NULLED_SERIALIZATION);
}

function appendInteger(appender: DuckDBAppender, value: unknown): AppendOutcome {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) {
      appender.appendVarchar(String(value));
      return APPENDED;
    }
    if (Number.isInteger(value)) {
      // Exact digits of a large double; DuckDB's cast decides whether they fit.
      appender.appendVarchar(BigInt(value).toString());
      return APPENDED;
    }
    return appendNull(appender, Number.isFinite(value) ? NULLED_SERIALIZATION : NULLED_SIZE);
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (INTEGER_TEXT.test(text)) {
      appender.appendVarchar(text);
      return APPENDED;
    }
    const parsed = text === "" ? Number.NaN : Number(text);
    if (Number.isInteger(parsed)) {
      appender.appendVarchar(BigInt(parsed).toString());
      return APPENDED;
    }
  }
  return appendNull(appender, NULLED_SERIALIZATION);
}

// Epoch numbers are not valid temporal values in the protocol; strings are cast by DuckDB.
function appendTemporal(appender: DuckDBAppender, value: unknown): AppendOutcome {
  if (typeof value !== "string") return appendNull(appender, NULLED_SERIALIZATION);
  appender.appendVarchar(value.endsWith(" BC") ? duckdbEra(value) : value);
  return APPENDED;
}

// DuckDB reads "2021-01-23 BC" as AD: its era marker is "(BC)" right after the date,
// as in "2021-01-23 (BC) 01:02:03+00".
function duckdbEra(value: string): string {
  const match = /^(\d+-\d\d-\d\d)(?:[T ](.*))? BC$/.exec(value);
  if (match === null) return value;
  return match[2] === undefined ? `${match[1]} (BC)` : `${match[1]} (BC) ${match[2]}`;
}

function appendNull(appender: DuckDBAppender, outcome: AppendOutcome): AppendOutcome {
  appender.appendNull();
  return outcome;
}
