import type pg from "pg";
import { type ColumnCodec, codecFor, type PgTypeInfo, type TypeCatalog } from "./column-codecs.js";

/** One column of a table or view, with the codec its values travel with. */
export interface TableColumn {
  readonly name: string;
  readonly typeOid: number;
  /** The type as SQL, without modifiers: `timestamp with time zone`, `public.mood`. */
  readonly sqlType: string;
  readonly codec: ColumnCodec;
}

/** A table, view, materialized view or foreign table the user may read. */
export interface SourceTable {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, f foreign table. */
  readonly kind: string;
  readonly columns: readonly TableColumn[];
  /** Primary key columns in key order; empty when there is none. */
  readonly primaryKey: readonly string[];
  /** Planner estimates from pg_class (rows is -1 before the first ANALYZE). */
  readonly estimatedRows: number;
  readonly pages: number;
  readonly fileNode: number;
}

/** Reads pg_type once: codecs resolve domains, arrays and enums through it. */
export async function loadTypes(client: pg.Client): Promise<TypeCatalog> {
  const result = await client.query<{
    oid: number;
    name: string;
    schema: string;
    kind: string;
    category: string;
    element: number;
    base: number;
    delimiter: string;
  }>(
    `SELECT t.oid::int AS oid, t.typname AS name, n.nspname AS schema, t.typtype AS kind,
            t.typcategory AS category, t.typelem::int AS element, t.typbasetype::int AS base,
            t.typdelim AS delimiter
       FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace`,
  );
  const types = new Map<number, PgTypeInfo>();
  for (const row of result.rows) types.set(row.oid, row);
  return types;
}

interface ColumnRow {
  oid: number;
  schema: string;
  name: string;
  kind: string;
  column: string;
  type_oid: number;
  sql_type: string;
  reltuples: number;
  relpages: number;
  filenode: number;
}

/**
 * The readable tables and views of `schemas` (partitions are read through their parent), with
 * columns and primary keys. `only` narrows it to some `schema.name` keys (a read needs only the
 * configured streams). Example: `await listTables(client, ["public"], types)`.
 */
export async function listTables(
  client: pg.Client,
  schemas: readonly string[],
  types: TypeCatalog,
  only?: ReadonlySet<string>,
): Promise<SourceTable[]> {
  const columns = await client.query<ColumnRow>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
            a.attname AS column, a.atttypid::int AS type_oid,
            pg_catalog.format_type(a.atttypid, NULL) AS sql_type,
            c.reltuples::float8 AS reltuples, c.relpages::int AS relpages, c.relfilenode::int AS filenode
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = ANY($1::text[])
        AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND NOT c.relispartition
        AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
      ORDER BY n.nspname, c.relname, a.attnum`,
    [schemas],
  );
  const keys = await client.query<{ oid: number; columns: string[] }>(
    `SELECT i.indrelid::int AS oid, array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_catalog.pg_index i
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE i.indisprimary AND n.nspname = ANY($1::text[])
      GROUP BY i.indrelid`,
    [schemas],
  );
  const primaryKeys = new Map(keys.rows.map((row) => [row.oid, row.columns]));
  const tables: SourceTable[] = [];
  let current: (SourceTable & { columns: TableColumn[] }) | undefined;
  for (const row of columns.rows) {
    if (only !== undefined && !only.has(tableKey(row.schema, row.name))) continue;
    if (current === undefined || current.oid !== row.oid) {
      current = {
        oid: row.oid,
        schema: row.schema,
        name: row.name,
        kind: row.kind,
        columns: [],
        primaryKey: primaryKeys.get(row.oid) ?? [],
        estimatedRows: row.reltuples,
        pages: row.relpages,
        fileNode: row.filenode,
      };
      tables.push(current);
    }
    current.columns.push({
      name: row.column,
      typeOid: row.type_oid,
      sqlType: row.sql_type,
      codec: codecFor(row.type_oid, types),
    });
  }
  return tables;
}

/** The key of a table in `listTables`' `only`: `schema.name` as JSON, so dots in names are safe. */
export const tableKey = (schema: string, name: string): string => JSON.stringify([schema, name]);

/** The stream's JSON schema: every column nullable, as Airbyte's sources declare them. */
export function tableJsonSchema(columns: readonly TableColumn[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const column of columns) {
    const schema = column.codec.schema;
    properties[column.name] = { ...schema, type: ["null", schema.type] };
  }
  return { type: "object", additionalProperties: true, properties };
}
