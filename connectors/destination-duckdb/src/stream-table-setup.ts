import type { DuckDBConnection } from "@duckdb/node-api";
import { configError } from "@weir/cdk";
import { type ConfiguredAirbyteStream, streamKey } from "@weir/protocol";
import { quoteIdentifier as q, qualifiedTable, quoteLiteral } from "./sql-identifiers.js";
import { MERGE_HELPER_COLUMNS, META_COLUMNS, type PlannedColumn, planColumns } from "./stream-columns.js";
import {
  CHANGE_REASONS_BY_OUTCOME,
  type ColumnRef,
  changeJson,
  columnRef,
  createPendingSql,
  createStageSql,
  type DedupKeys,
  dedupMergeSql,
  insertSql,
  typedSelectSql,
} from "./stream-sql.js";
import { runInTransaction, type StagedColumn, StreamTable, type StreamWritePlan } from "./stream-table.js";
import { encoderFor } from "./value-encoder.js";

type Columns = Map<string, { name: string; type: string }>;

/** The table an overwrite is built in before the swap. */
export const buildAsideName = (table: string): string => `_weir_tmp_${table}`;

/** The table holding a dedup stream's committed rows until they are merged into `table`. */
export const pendingName = (table: string): string => `_weir_pending_${table}`;

/** What `prepareStreamTable` did besides getting ready, for the log. */
export interface PreparedStream {
  readonly table: StreamTable;
  readonly addedColumns: readonly string[];
  /** Rows a previous, interrupted sync had committed to the pending table, now merged in. */
  readonly recoveredRows: number;
}

/**
 * Decides how a configured stream is written and gets its tables ready: creates the schema and
 * table, adds columns new in the schema, merges rows an interrupted sync left pending, and for a
 * truncate creates a fresh table aside.
 */
export async function prepareStreamTable(
  connection: DuckDBConnection,
  configured: ConfiguredAirbyteStream,
  defaultSchema: string,
  index: number,
  mergeThresholdRows: number,
): Promise<PreparedStream> {
  const stream = configured.stream;
  const namespace = stream.namespace ?? "";
  const schema = namespace !== "" ? namespace : defaultSchema;
  const table = stream.name === "" ? "_" : stream.name;
  const generationId = configured.generation_id ?? null;
  const minimumGenerationId = configured.minimum_generation_id ?? 0;
  const dedup = configured.destination_sync_mode === "append_dedup";
  const truncate =
    configured.destination_sync_mode === "overwrite" ||
    (generationId !== null && generationId > 0 && minimumGenerationId === generationId);
  const plan: StreamWritePlan = { key: streamKey(stream), schema, table, truncate, minimumGenerationId };
  const planned = planColumns(stream.json_schema);
  const finalTarget = qualifiedTable(schema, table);

  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
  let finalColumns = await existingColumns(connection, schema, table);
  const addedColumns: string[] = [];
  if (!truncate) {
    if (finalColumns.size === 0) finalColumns = await createTable(connection, finalTarget, planned);
    else addedColumns.push(...(await addMissingColumns(connection, finalTarget, planned, finalColumns)));
  }
  const recoveredRows =
    finalColumns.size === 0
      ? 0
      : await recoverPending(connection, configured, planned, schema, table, finalColumns);

  const writeTable = truncate ? buildAsideName(table) : table;
  const writeTarget = qualifiedTable(schema, writeTable);
  let columns = finalColumns;
  if (truncate) {
    // A fresh table per run: states of an overwrite are committed only after the swap, so rows
    // of a previous attempt would be sent again and only make duplicates.
    await connection.run(`DROP TABLE IF EXISTS ${qualifiedTable(schema, pendingName(writeTable))}`);
    await connection.run(`DROP TABLE IF EXISTS ${writeTarget}`);
    columns = await createTable(connection, writeTarget, planned);
  }

  const staged = planned.map((p): StagedColumn => {
    const real = columns.get(p.column.toLowerCase()) ?? { name: p.column, type: p.type };
    const field = p.field ?? p.column;
    return {
      field,
      column: real.name,
      encoder: encoderFor(real.type),
      source: p.field,
      ownOnly: p.field !== undefined && p.field in Object.prototype,
      changeTexts: ["", ...CHANGE_REASONS_BY_OUTCOME.map((reason) => changeJson(field, reason))],
    };
  });
  const stage = `_weir_stage_${index}`;
  const stageRef = `temp.main.${q(stage)}`;
  await connection.run(createStageSql(stage, staged));
  const typed = typedSelectSql(stageRef, staged, { syncId: configured.sync_id ?? null, generationId }, dedup);
  let merge: string[] | undefined;
  let pendingTable: string | undefined;
  if (dedup) {
    pendingTable = qualifiedTable(schema, pendingName(writeTable));
    merge = dedupMergeSql(writeTarget, pendingTable, dedupKeys(configured, planned, columns));
    await connection.run(createPendingSql(pendingTable, writeTarget));
  }
  const move = [insertSql(pendingTable ?? writeTarget, typed), `DELETE FROM ${stageRef}`];
  return {
    table: new StreamTable(
      connection,
      plan,
      staged,
      { stage, move, merge, pendingTable },
      mergeThresholdRows,
    ),
    addedColumns,
    recoveredRows,
  };
}

// Rows a crashed or failed sync committed to the pending table may have had their states
// committed: they must reach the table before anything else happens to it.
async function recoverPending(
  connection: DuckDBConnection,
  configured: ConfiguredAirbyteStream,
  planned: readonly PlannedColumn[],
  schema: string,
  table: string,
  finalColumns: Columns,
): Promise<number> {
  const pendingColumns = await existingColumns(connection, schema, pendingName(table));
  if (pendingColumns.size === 0) return 0;
  const pending = qualifiedTable(schema, pendingName(table));
  const target = qualifiedTable(schema, table);
  const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${pending}`);
  const rows = Number(counted.getRowsJson()[0]?.[0] ?? 0);
  if (rows > 0) {
    let keys: DedupKeys | undefined;
    try {
      keys = dedupKeys(configured, planned, finalColumns);
    } catch {
      keys = undefined; // no key (any more): the rows are appended as they are
    }
    const seq = q(MERGE_HELPER_COLUMNS[1]);
    await runInTransaction(
      connection,
      keys !== undefined
        ? dedupMergeSql(target, pending, keys)
        : [insertSql(target, `SELECT * EXCLUDE (${seq}) FROM ${pending}`)],
    );
  }
  await connection.run(`DROP TABLE ${pending}`);
  return rows;
}

async function createTable(
  connection: DuckDBConnection,
  target: string,
  planned: readonly PlannedColumn[],
): Promise<Columns> {
  const all = [...META_COLUMNS, ...planned];
  await connection.run(`CREATE TABLE ${target} (${all.map((c) => `${q(c.column)} ${c.type}`).join(", ")})`);
  return new Map(all.map((c) => [c.column.toLowerCase(), { name: c.column, type: c.type }]));
}

// Schema evolution: columns only ever get added; an existing column keeps its type, and values
// are cast to it (nulled with a change when they do not fit).
async function addMissingColumns(
  connection: DuckDBConnection,
  target: string,
  planned: readonly PlannedColumn[],
  columns: Columns,
): Promise<string[]> {
  const added: string[] = [];
  for (const column of [...META_COLUMNS, ...planned]) {
    if (columns.has(column.column.toLowerCase())) continue;
    await connection.run(`ALTER TABLE ${target} ADD COLUMN ${q(column.column)} ${column.type}`);
    columns.set(column.column.toLowerCase(), { name: column.column, type: column.type });
    added.push(column.column);
  }
  return added;
}

/** The table's columns by lower-cased name (DuckDB resolves names case-insensitively); empty if none. */
async function existingColumns(
  connection: DuckDBConnection,
  schema: string,
  table: string,
): Promise<Columns> {
  const reader = await connection.runAndReadAll(
    "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() " +
      `AND lower(schema_name) = lower(${quoteLiteral(schema)}) AND lower(table_name) = lower(${quoteLiteral(table)}) ` +
      "ORDER BY column_index",
  );
  const columns: Columns = new Map();
  for (const [name, type] of reader.getRowsJson()) {
    columns.set(String(name).toLowerCase(), { name: String(name), type: String(type) });
  }
  return columns;
}

function dedupKeys(
  configured: ConfiguredAirbyteStream,
  planned: readonly PlannedColumn[],
  columns: Columns,
): DedupKeys {
  const stream = configured.stream;
  const primaryKey = configured.primary_key ?? stream.source_defined_primary_key ?? [];
  if (primaryKey.length === 0) {
    throw configError(`Stream ${stream.name}: append_dedup needs a primary key, and none is configured`);
  }
  const refFor = (path: readonly string[], role: string): ColumnRef => {
    const [field, ...nested] = path;
    const column = planned.find((p) => p.field === field);
    const real = column === undefined ? undefined : columns.get(column.column.toLowerCase());
    if (real === undefined) {
      throw configError(
        `Stream ${stream.name}: the ${role} ${JSON.stringify(path)} is not a field of the stream's schema`,
      );
    }
    return columnRef(real.name, nested);
  };
  const cursorPath = configured.cursor_field ?? stream.default_cursor_field ?? [];
  const cdc = planned.find((p) => p.field === "_ab_cdc_deleted_at");
  return {
    primaryKey: primaryKey.map((path) => refFor(path, "primary key")),
    cursor: cursorPath.length > 0 ? refFor(cursorPath, "cursor") : undefined,
    cdcDeletedAt: cdc === undefined ? undefined : columns.get(cdc.column.toLowerCase())?.name,
  };
}
