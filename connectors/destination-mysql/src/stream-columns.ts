import { columnTypeFor, type MysqlColumnType, SCHEMALESS_COLUMN } from "./column-type.js";
import { mysqlName, suffixed } from "./mysql-names.js";

/** One data column of a stream's table: which record field feeds it, and its type. */
export interface PlannedColumn {
  /** The top-level record field; `undefined` for the `_airbyte_data` column of a schemaless stream. */
  readonly field: string | undefined;
  /** The column name, unique in the table (MySQL compares column names case-insensitively). */
  readonly column: string;
  readonly type: MysqlColumnType;
}

/** Airbyte's "Destinations V2" columns, first in every table. */
export const META_COLUMNS = [
  { column: "_airbyte_raw_id", sql: "VARCHAR(36) NOT NULL" },
  // In UTC (Weir's sessions are); TIMESTAMP is fine here, these are times of this sync.
  { column: "_airbyte_extracted_at", sql: "TIMESTAMP(6) NULL DEFAULT NULL" },
  { column: "_airbyte_meta", sql: "JSON NULL" },
  { column: "_airbyte_generation_id", sql: "BIGINT NULL" },
] as const;

/** Arrival order of staged rows, the last tie-breaker of a dedup. */
export const SEQ_COLUMN = "_weir_seq";

const RESERVED = [...META_COLUMNS.map((m) => m.column), SEQ_COLUMN, "_weir_rn"];

/**
 * The data columns of a stream's table, in schema order. Names are made valid for MySQL (see
 * mysqlName); one that clashes, case-insensitively, with a meta column or an earlier column gets
 * a `_2`, `_3`… suffix. Example: `planColumns({ properties: { id: { type: "integer" } } })` is
 * `[{ field: "id", column: "id", type: BIGINT }]`.
 */
export function planColumns(jsonSchema: Record<string, unknown>): PlannedColumn[] {
  const properties = jsonSchema.properties;
  const declared =
    typeof properties === "object" && properties !== null && !Array.isArray(properties)
      ? Object.entries(properties as Record<string, unknown>)
      : [];
  if (declared.length === 0) {
    // Dropping every field of a schemaless stream would lose all its data; keep it whole instead.
    return [{ field: undefined, column: "_airbyte_data", type: SCHEMALESS_COLUMN }];
  }
  const taken = new Set(RESERVED.map((name) => name.toLowerCase()));
  return declared.map(([field, schema]) => {
    const base = mysqlName(field);
    let column = base;
    for (let n = 2; taken.has(column.toLowerCase()); n++) column = suffixed(base, `_${n}`);
    taken.add(column.toLowerCase());
    return { field, column, type: columnTypeFor(schema) };
  });
}
