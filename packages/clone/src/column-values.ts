import type { CatalogColumn } from "./catalog-types.js";

// How a masked column's COPY text becomes the value a mapper sees, and back. Only masked
// columns take this path; every other value is copied as the bytes Postgres wrote. Numbers
// become JavaScript numbers where that is exact (a hash of 42 is then the hash of the same
// text in every table), JSON becomes objects (so `profile.email` can be masked inside a jsonb
// column), booleans become booleans; everything else stays the text Postgres wrote.

export type ColumnKind = "boolean" | "integer" | "number" | "json" | "date" | "timestamp" | "text";

/** The kind of a column by its base type (under any domain). Example: `columnKind(column) // "integer"`. */
export function columnKind(column: Pick<CatalogColumn, "baseType" | "category">): ColumnKind {
  switch (column.baseType) {
    case "bool":
      return "boolean";
    case "int2":
    case "int4":
    case "int8":
      return "integer";
    case "float4":
    case "float8":
    case "numeric":
      return "number";
    case "json":
    case "jsonb":
      return "json";
    case "date":
      return "date";
    case "timestamp":
    case "timestamptz":
      return "timestamp";
    default:
      return "text";
  }
}

/** The JSON schema a mapper compiles against for a column. */
export function columnSchema(kind: ColumnKind, nested: SchemaTree | undefined): Record<string, unknown> {
  switch (kind) {
    case "boolean":
      return { type: ["null", "boolean"] };
    case "integer":
      return { type: ["null", "integer"] };
    case "number":
      return { type: ["null", "number"] };
    case "json":
      return nested === undefined ? {} : nestedSchema(nested);
    case "date":
      return { type: ["null", "string"], format: "date" };
    case "timestamp":
      return { type: ["null", "string"], format: "date-time" };
    case "text":
      return { type: ["null", "string"] };
  }
}

/** Field paths inside a JSON column that mappers name: `{ email: {}, address: { city: {} } }`. */
export interface SchemaTree {
  [name: string]: SchemaTree;
}

function nestedSchema(tree: SchemaTree): Record<string, unknown> {
  const names = Object.keys(tree);
  if (names.length === 0) return {};
  const properties: Record<string, unknown> = {};
  for (const name of names) properties[name] = nestedSchema(tree[name] as SchemaTree);
  return { type: ["null", "object", "array", "string", "number", "boolean"], properties };
}

const SAFE_DIGITS = /^-?\d{1,15}(\.\d+)?$/;

/** Turns a column's text (escapes undone) into the mapper's value. Example: `decodeColumnValue("integer", "42") // 42`. */
export function decodeColumnValue(kind: ColumnKind, text: string): unknown {
  switch (kind) {
    case "boolean":
      return text === "t" ? true : text === "f" ? false : text;
    case "integer": {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case "number": {
      // Only what a double holds exactly: 15 significant digits before any fraction, and a
      // fraction that prints back the same (numeric 1.10 stays text, so nothing is lost).
      if (!SAFE_DIGITS.test(text)) return text;
      const n = Number(text);
      return String(n) === text ? n : text;
    }
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}

/** A mapper's output as the column's text (escapes not yet applied); null for NULL. */
export function encodeColumnValue(kind: ColumnKind, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
      return kind === "json" ? JSON.stringify(value) : value;
    case "number":
      return Number.isFinite(value)
        ? String(value)
        : value > 0
          ? "Infinity"
          : value < 0
            ? "-Infinity"
            : "NaN";
    case "boolean":
      return kind === "boolean" ? (value ? "t" : "f") : String(value);
    case "bigint":
      return value.toString();
    default:
      return JSON.stringify(value);
  }
}

/**
 * Why a column cannot take what its mappers make, or undefined when it can: a hash (text) into
 * an integer column would fail on the first row, so it is a config error before anything moves.
 */
export function outputMismatch(
  kind: ColumnKind,
  output: Record<string, unknown> | undefined,
): string | undefined {
  const type = output?.type;
  if (output === undefined || type === undefined) return undefined;
  const types = new Set(
    (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === "string"),
  );
  types.delete("null");
  if (types.size === 0) return undefined;
  const fits = (allowed: readonly string[]) => [...types].every((t) => allowed.includes(t));
  switch (kind) {
    case "integer":
      return fits(["integer"])
        ? undefined
        : `it is an integer column and the mappers make ${[...types].join(" or ")}`;
    case "number":
      return fits(["integer", "number"])
        ? undefined
        : `it is a numeric column and the mappers make ${[...types].join(" or ")}`;
    case "boolean":
      return fits(["boolean"])
        ? undefined
        : `it is a boolean column and the mappers make ${[...types].join(" or ")}`;
    default:
      return undefined;
  }
}
