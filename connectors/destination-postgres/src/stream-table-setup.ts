import { createHash } from "node:crypto";
import { configError } from "@weir/cdk";
import { quoteIdentifier as q, qualifiedName } from "@weir/postgres-connection";
import { type ConfiguredAirbyteStream, streamKey } from "@weir/protocol";
import type pg from "pg";
import {
  fitRowWidth,
  MAX_IDENTIFIER_BYTES,
  META_COLUMNS,
  type PlannedColumn,
  planColumns,
  truncateUtf8,
} from "./column-plan.js";
import {
  CHANGE_REASONS,
  encoderFor,
  NULLED_SERIALIZATION,
  NULLED_SIZE,
  type ValueEncoder,
} from "./copy-values.js";

/** A data column as the COPY encoder fills it. */
export interface WriteColumn {
  /** The record field; undefined for the whole record (`_airbyte_data`). */
  readonly field: string | undefined;
  readonly column: string;
  readonly encode: ValueEncoder;
  /** True for names like `constructor`, which a plain lookup would find on Object.prototype. */
  readonly ownOnly: boolean;
  /** `_airbyte_meta.changes` entries (JSON) for a value nulled for serialization (1) or size (2). */
  readonly changes: readonly [string, string, string];
}

/** How one configured stream is written, decided at open. */
export interface StreamTable {
  readonly key: string;
  readonly schema: string;
  readonly table: string;
  /** The table COPY fills: the final table, or the one built aside for an overwrite. */
  readonly writeTable: string;
  /** Overwrite (or truncate refresh): built aside, swapped in at close. */
  readonly truncate: boolean;
  readonly minimumGenerationId: number;
  readonly generationId: number | null;
  readonly syncId: number | null;
  readonly columns: readonly WriteColumn[];
  /** `COPY … FROM STDIN`, into the write table or the dedup staging table. */
  readonly copySql: string;
  /** Statements that upsert the staged rows into the write table and empty the stage; dedup only. */
  readonly mergeSql: readonly string[] | undefined;
  readonly addedColumns: readonly string[];
  /** Integer columns were made numeric because bigints would not fit in a row. */
  readonly widened: boolean;
}

/** The merge's arrival order column in the staging table. */
export const SEQ_COLUMN = "_weir_seq";

const hashed = (name: string) => createHash("sha256").update(name).digest("hex").slice(0, 8);

/** A work table's name: `<prefix><table>`, hashed when it would pass Postgres' 63 bytes. */
export function workTableName(prefix: string, table: string): string {
  const name = `${prefix}${table}`;
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  return `${truncateUtf8(name, MAX_IDENTIFIER_BYTES - 9)}_${hashed(name)}`;
}

/** The table an overwrite is built in before the swap. */
export const asideName = (table: string) => workTableName("_weir_tmp_", table);

type Columns = Map<string, string>;

async function existingColumns(client: pg.Client, schema: string, table: string): Promise<Columns> {
  const result = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, COALESCE(b.typname, t.typname) AS type
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [qualifiedName(schema, table)],
  );
  return new Map(result.rows.map((row) => [row.name, row.type]));
}

// pg_type names of the types this destination creates, for columns it just made.
const TYPNAME: Readonly<Record<string, string>> = {
  text: "text",
  varchar: "varchar",
  bigint: "int8",
  numeric: "numeric",
  boolean: "bool",
  date: "date",
  timestamp: "timestamp",
  timestamptz: "timestamptz",
  time: "time",
  timetz: "timetz",
  bytea: "bytea",
  jsonb: "jsonb",
};

async function createTable(
  client: pg.Client,
  target: string,
  planned: readonly PlannedColumn[],
): Promise<Columns> {
  const all = [...META_COLUMNS, ...planned];
  await client.query(`CREATE TABLE ${target} (${all.map((c) => `${q(c.column)} ${c.type}`).join(", ")})`);
  return new Map(all.map((c) => [c.column, TYPNAME[c.type] ?? c.type]));
}

async function addMissingColumns(
  client: pg.Client,
  target: string,
  planned: readonly PlannedColumn[],
  columns: Columns,
): Promise<string[]> {
  const added: string[] = [];
  for (const column of [...META_COLUMNS, ...planned]) {
    if (columns.has(column.column)) continue;
    await client.query(`ALTER TABLE ${target} ADD COLUMN ${q(column.column)} ${column.type}`);
    columns.set(column.column, TYPNAME[column.type] ?? column.type);
    added.push(column.column);
  }
  return added;
}

const changeJson = (field: string, reason: string) => JSON.stringify({ field, change: "NULLED", reason });

/**
 * Gets a configured stream's tables ready and decides how it is written: creates the schema and
 * table (or the table aside for an overwrite), adds columns new in the schema, and for
 * append_dedup makes sure of a unique index on the primary key and creates the staging table.
 */
export async function prepareStreamTable(
  client: pg.Client,
  configured: ConfiguredAirbyteStream,
  defaultSchema: string,
  index: number,
  serverVersion: number,
): Promise<StreamTable> {
  const stream = configured.stream;
  const schema = truncateUtf8(stream.namespace ? stream.namespace : defaultSchema);
  const table = truncateUtf8(stream.name === "" ? "_" : stream.name);
  const generationId = configured.generation_id ?? null;
  const minimumGenerationId = configured.minimum_generation_id ?? 0;
  const dedup = configured.destination_sync_mode === "append_dedup";
  const truncate =
    configured.destination_sync_mode === "overwrite" ||
    (generationId !== null && generationId > 0 && minimumGenerationId === generationId);
  const { columns: planned, widened } = fitRowWidth(planColumns(stream.json_schema));

  await client.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
  const finalTarget = qualifiedName(schema, table);
  let columns = await existingColumns(client, schema, table);
  const addedColumns: string[] = [];
  if (!truncate) {
    if (columns.size === 0) columns = await createTable(client, finalTarget, planned);
    else addedColumns.push(...(await addMissingColumns(client, finalTarget, planned, columns)));
  }
  const writeTable = truncate ? asideName(table) : table;
  const writeTarget = qualifiedName(schema, writeTable);
  if (truncate) {
    // A fresh table each run: an overwrite's states are committed only after the swap, so rows
    // of an earlier attempt would come again and only make duplicates.
    await client.query(`DROP TABLE IF EXISTS ${writeTarget}`);
    columns = await createTable(client, writeTarget, planned);
  }

  const writeColumns = planned.map((p): WriteColumn => {
    const field = p.field ?? p.column;
    return {
      field: p.field,
      column: p.column,
      encode: encoderFor(columns.get(p.column) ?? TYPNAME[p.type] ?? "text", p.schema),
      ownOnly: p.field !== undefined && p.field in Object.prototype,
      changes: [
        "",
        changeJson(field, CHANGE_REASONS[NULLED_SERIALIZATION]),
        changeJson(field, CHANGE_REASONS[NULLED_SIZE]),
      ],
    };
  });
  // Data columns first: a row's `_airbyte_meta` is known only once its values are encoded.
  const columnList = [...planned.map((p) => p.column), ...META_COLUMNS.map((m) => m.column)];
  let copySql = `COPY ${writeTarget} (${columnList.map(q).join(", ")}) FROM STDIN`;
  let mergeSql: string[] | undefined;
  if (dedup) {
    const keys = dedupKeys(configured, planned);
    await ensureUniqueKey(client, writeTarget, keys, serverVersion);
    const stage = q(`_weir_stage_${index}`);
    await client.query(`DROP TABLE IF EXISTS pg_temp.${stage}`);
    await client.query(
      `CREATE TEMP TABLE ${stage} AS SELECT *, 0::bigint AS ${q(SEQ_COLUMN)} FROM ${writeTarget} WITH NO DATA`,
    );
    copySql = `COPY pg_temp.${stage} (${[...columnList, SEQ_COLUMN].map(q).join(", ")}) FROM STDIN`;
    const cdc = planned.some((p) => p.field === "_ab_cdc_deleted_at" && p.column === "_ab_cdc_deleted_at");
    mergeSql = upsertSql(writeTarget, `pg_temp.${stage}`, columnList, keys, cdc);
  }
  return {
    key: streamKey(stream),
    schema,
    table,
    writeTable,
    truncate,
    minimumGenerationId,
    generationId,
    syncId: configured.sync_id ?? null,
    columns: writeColumns,
    copySql,
    mergeSql,
    addedColumns,
    widened,
  };
}

interface DedupKeys {
  readonly primaryKey: readonly string[];
  readonly cursor: string | undefined;
}

function dedupKeys(configured: ConfiguredAirbyteStream, planned: readonly PlannedColumn[]): DedupKeys {
  const stream = configured.stream;
  const primaryKey = configured.primary_key ?? stream.source_defined_primary_key ?? [];
  if (primaryKey.length === 0) {
    throw configError(`Stream ${stream.name}: append_dedup needs a primary key, and none is configured`);
  }
  const columnOf = (path: readonly string[], role: string): string => {
    const column = path.length === 1 ? planned.find((p) => p.field === path[0]) : undefined;
    if (column === undefined) {
      throw configError(
        `Stream ${stream.name}: the ${role} ${JSON.stringify(path)} must be a top-level field of the stream's schema`,
      );
    }
    return column.column;
  };
  const cursorPath = configured.cursor_field ?? stream.default_cursor_field ?? [];
  return {
    primaryKey: primaryKey.map((path) => columnOf(path, "primary key")),
    cursor: cursorPath.length > 0 ? columnOf(cursorPath, "cursor") : undefined,
  };
}

/**
 * The upsert target needs a unique index on the key (`ON CONFLICT` finds rows through it). A
 * table that has none gets one; duplicates an append left there are removed first, keeping the
 * latest row per key. Postgres 15+ makes NULL key parts compare equal (NULLS NOT DISTINCT).
 */
async function ensureUniqueKey(client: pg.Client, target: string, keys: DedupKeys, serverVersion: number) {
  const existing = await client.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname::text) AS columns
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
        AND i.indexprs IS NULL
      GROUP BY i.indexrelid`,
    [target],
  );
  const wanted = [...keys.primaryKey].sort().join("\u0000");
  if (existing.rows.some((row) => [...row.columns].sort().join("\u0000") === wanted)) return;
  const keyList = keys.primaryKey.map(q).join(", ");
  const order = [
    ...(keys.cursor === undefined ? [] : [`${q(keys.cursor)} DESC NULLS LAST`]),
    "_airbyte_extracted_at DESC NULLS LAST",
    "ctid DESC",
  ].join(", ");
  await client.query(
    `DELETE FROM ${target} WHERE ctid IN (SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY ${keyList} ORDER BY ${order}) AS n FROM ${target}) ranked WHERE n > 1)`,
  );
  const nulls = serverVersion >= 150000 ? " NULLS NOT DISTINCT" : "";
  await client.query(`CREATE UNIQUE INDEX ON ${target} (${keyList})${nulls}`);
}

/**
 * One set-based upsert of the staged rows: the latest staged row per key (by cursor, then
 * extraction time, then arrival) replaces the table's row unless that one has a later cursor.
 * A null cursor is older than any value. A winning row with `_ab_cdc_deleted_at` set deletes the key.
 */
function upsertSql(
  target: string,
  stage: string,
  columns: readonly string[],
  keys: DedupKeys,
  cdcDeletes: boolean,
): string[] {
  const keyList = keys.primaryKey.map(q).join(", ");
  const cursor = keys.cursor === undefined ? undefined : q(keys.cursor);
  const order = [
    keyList,
    ...(cursor === undefined ? [] : [`${cursor} DESC NULLS LAST`]),
    "_airbyte_extracted_at DESC NULLS LAST",
    `${q(SEQ_COLUMN)} DESC`,
  ].join(", ");
  const list = columns.map(q).join(", ");
  const updates = columns
    .filter((c) => !keys.primaryKey.includes(c))
    .map((c) => `${q(c)} = EXCLUDED.${q(c)}`)
    .join(", ");
  const newer =
    cursor === undefined
      ? ""
      : ` WHERE t.${cursor} IS NULL OR EXCLUDED.${cursor} > t.${cursor} OR (EXCLUDED.${cursor} = t.${cursor} AND EXCLUDED._airbyte_extracted_at >= t._airbyte_extracted_at)`;
  const statements = [
    `INSERT INTO ${target} AS t (${list}) SELECT ${list} FROM (SELECT DISTINCT ON (${keyList}) * FROM ${stage} ORDER BY ${order}) s ` +
      `ON CONFLICT (${keyList}) DO ${updates === "" ? "NOTHING" : `UPDATE SET ${updates}${newer}`}`,
  ];
  if (cdcDeletes) {
    statements.push(
      `DELETE FROM ${target} t WHERE t."_ab_cdc_deleted_at" IS NOT NULL AND (${keys.primaryKey.map((k) => `t.${q(k)}`).join(", ")}) IN (SELECT ${keyList} FROM ${stage})`,
    );
  }
  statements.push(`TRUNCATE ${stage}`);
  return statements;
}
