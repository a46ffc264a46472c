import { columnTypeFor, type DuckdbColumnType } from "./column-type.js";

/** One data column of a stream's table: which record field feeds it, and its type. */
export interface PlannedColumn {
  /** The top-level record field; `undefined` for the `_airbyte_data` column of a schemaless stream. */
  readonly field: string | undefined;
  /** The column name, unique in the table (DuckDB compares names case-insensitively). */
  readonly column: string;
  readonly type: DuckdbColumnType;
}

/** Airbyte's "Destinations V2" columns, first in every table. */
export const META_COLUMNS: readonly { readonly column: string; readonly type: string }[] = [
  { column: "_airbyte_raw_id", type: "VARCHAR" },
  { column: "_airbyte_extracted_at", type: "TIMESTAMPTZ" },
  { column: "_airbyte_meta", type: "JSON" },
  { column: "_airbyte_generation_id", type: "BIGINT" },
];

/** Where a stream without declared properties keeps its whole record. */
export const SCHEMALESS_COLUMN = "_airbyte_data";

/** Helper columns of the dedup merge; data columns must not take these names. */
export const MERGE_HELPER_COLUMNS = ["_weir_src", "_weir_seq"] as const;

const RESERVED = new Set([...META_COLUMNS.map((m) => m.column), ...MERGE_HELPER_COLUMNS]);

/**
 * The data columns of a stream's table, in schema order. Names that clash (case-insensitively) with
 * a meta column or an earlier column get a `_2`, `_3`… suffix; `""` becomes `_`.
 * Example: `planColumns({ properties: { id: { type: "integer" } } })` is `[{ field: "id", column: "id", type: "BIGINT" }]`.
 */
export function planColumns(jsonSchema: Record<string, unknown>): PlannedColumn[] {
  const properties = jsonSchema.properties;
  const declared =
    typeof properties === "object" && properties !== null && !Array.isArray(properties)
      ? Object.entries(properties as Record<string, unknown>)
      : [];
  if (declared.length === 0) {
    // Dropping every field of a schemaless stream would lose all its data; keep it whole instead.
    return [{ field: undefined, column: SCHEMALESS_COLUMN, type: "JSON" }];
  }
  const taken = new Set([...RESERVED].map((name) => name.toLowerCase()));
  return declared.map(([field, schema]) => {
    const column = uniqueName(field === "" ? "_" : field, taken);
    return { field, column, type: columnTypeFor(schema) };
  });
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
  taken.add(name.toLowerCase());
  return name;
}
