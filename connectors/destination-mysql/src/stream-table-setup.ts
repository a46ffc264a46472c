import { type ConnectorLogger, configError } from "@weir/cdk";
import { type MysqlSession, quoteIdentifier as q, qualifiedTable } from "@weir/mysql-connection";
import { type ConfiguredAirbyteStream, streamKey } from "@weir/protocol";
import { existingColumnType } from "./column-type.js";
import { type DedupKeys, dedupMergeSql } from "./dedup-sql.js";
import { mysqlName, workTableName } from "./mysql-names.js";
import type { RowLoader } from "./row-loader.js";
import { META_COLUMNS, type PlannedColumn, planColumns } from "./stream-columns.js";
import { loadStatement, StreamTable, type StreamWritePlan } from "./stream-table.js";
import { addColumnsSql, createTableSql, indexParts, KEY_INDEX } from "./table-sql.js";

/** What preparing a stream's tables needs besides the stream. */
export interface SetupContext {
  readonly session: MysqlSession;
  readonly loader: RowLoader;
  readonly defaultDatabase: string;
  /** The binary, no-pad collation the server has (utf8mb4_nopad_bin on MariaDB). */
  readonly collation: string;
  readonly batchBytes: number;
  readonly logger: ConnectorLogger;
}

interface ExistingColumn {
  readonly name: string;
  readonly dataType: string;
  readonly columnType: string;
}

/**
 * Decides how a configured stream is written and gets its tables ready: creates the database and
 * table, adds columns new in the schema, and for a truncate creates a fresh table aside; a dedup
 * stream also gets its key index and a temporary stage.
 * Example: `const table = await prepareStreamTable(setup, configured, 0)`.
 */
export async function prepareStreamTable(
  setup: SetupContext,
  configured: ConfiguredAirbyteStream,
  index: number,
): Promise<StreamTable> {
  const { session } = setup;
  const stream = configured.stream;
  const database = stream.namespace ? mysqlName(stream.namespace) : setup.defaultDatabase;
  const table = mysqlName(stream.name);
  const generationId = configured.generation_id ?? null;
  const minimumGenerationId = configured.minimum_generation_id ?? 0;
  const dedup = configured.destination_sync_mode === "append_dedup";
  const truncate =
    configured.destination_sync_mode === "overwrite" ||
    (generationId !== null && generationId > 0 && minimumGenerationId === generationId);
  const plan: StreamWritePlan = {
    key: streamKey(stream),
    database,
    table,
    truncate,
    dedup,
    minimumGenerationId,
  };
  const planned = planColumns(stream.json_schema);
  const keyFields = dedup ? primaryKeyFields(configured) : [];

  await ensureDatabase(session, database);
  const target = qualifiedTable(database, table);
  const existing = await existingColumns(session, database, table);
  refuseForeignTable(existing, target, stream.name);
  let columns = planned;
  if (!truncate) {
    if (existing === undefined) {
      await session.query(
        createTableSql(target, planned, setup.collation, keyIndex(planned, keyFields, stream.name)),
      );
    } else {
      columns = await evolve(setup, target, planned, existing, database, table);
      if (dedup)
        await ensureKeyIndex(session, { target, database, table, stream: stream.name }, columns, keyFields);
    }
  } else {
    const aside = qualifiedTable(database, workTableName("tmp", table));
    await session.query(`DROP TABLE IF EXISTS ${qualifiedTable(database, workTableName("old", table))}`);
    // A fresh table per run: states of an overwrite are committed only after the swap, so rows
    // of a previous attempt would be sent again and only make duplicates.
    await session.query(`DROP TABLE IF EXISTS ${aside}`);
    await session.query(
      createTableSql(aside, planned, setup.collation, keyIndex(planned, keyFields, stream.name)),
    );
  }
  const written = truncate ? qualifiedTable(database, workTableName("tmp", table)) : target;
  let loadTarget = written;
  let merge: ReturnType<typeof dedupMergeSql> | undefined;
  if (dedup) {
    loadTarget = q(`_weir_stage_${index}`);
    await session.query(`DROP TEMPORARY TABLE IF EXISTS ${loadTarget}`);
    await session.query(
      createTableSql(loadTarget, columns, setup.collation, undefined, { temporary: true, withSeq: true }),
    );
    merge = dedupMergeSql(
      written,
      loadTarget,
      columns,
      dedupKeys(configured, columns, keyFields, setup.logger),
    );
  }
  return new StreamTable(
    session,
    setup.loader,
    plan,
    columns,
    { loadTarget, loadSql: loadStatement(setup.loader, loadTarget, columns, dedup), merge },
    { syncId: configured.sync_id ?? null, generationId },
    setup.batchBytes,
  );
}

async function ensureDatabase(session: MysqlSession, database: string): Promise<void> {
  const found = await session.query<{ n: string }>(
    "SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
    [database],
  );
  if (found.some((row) => row.n === database)) return;
  await session.query(`CREATE DATABASE IF NOT EXISTS ${q(database)} CHARACTER SET utf8mb4`);
}

/** The table's columns in order, or undefined when there is no such table (names compare exactly). */
async function existingColumns(
  session: MysqlSession,
  database: string,
  table: string,
): Promise<ExistingColumn[] | undefined> {
  const rows = await session.query<ExistingColumn & { t: string }>(
    "SELECT TABLE_NAME AS t, COLUMN_NAME AS name, LOWER(DATA_TYPE) AS dataType, LOWER(COLUMN_TYPE) AS columnType " +
      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
    [database, table],
  );
  const exact = rows.filter((row) => row.t === table);
  return exact.length === 0 ? undefined : exact;
}

/**
 * A table without `_airbyte_raw_id` was not made by a destination: an append would alter it and
 * an overwrite would drop it. It is most likely the source table itself (source-mysql names its
 * streams after the source database, and Weir maps no namespaces yet), so writing is refused.
 */
function refuseForeignTable(
  existing: readonly ExistingColumn[] | undefined,
  target: string,
  stream: string,
): void {
  if (existing === undefined || existing.some((c) => c.name.toLowerCase() === "_airbyte_raw_id")) return;
  throw configError(
    `Stream ${stream}: table ${target} exists and was not made by a destination (it has no _airbyte_raw_id column); ` +
      "refusing to alter or replace it. Is it the source table? Write the stream to another database or server, or rename or drop the table",
  );
}

// Schema evolution: columns are only added; an existing column keeps its type, and values are
// checked against it (nulled with a change when they do not fit).
async function evolve(
  setup: SetupContext,
  target: string,
  planned: readonly PlannedColumn[],
  existing: readonly ExistingColumn[],
  database: string,
  table: string,
): Promise<PlannedColumn[]> {
  const byName = new Map(existing.map((c) => [c.name.toLowerCase(), c]));
  const json = await jsonColumns(setup.session, database, table);
  const missing = [
    ...META_COLUMNS.filter((m) => !byName.has(m.column)).map((m) => ({ column: m.column, sql: m.sql })),
    ...planned
      .filter((p) => !byName.has(p.column.toLowerCase()))
      .map((p) => ({ column: p.column, sql: `${p.type.sql} NULL` })),
  ];
  if (missing.length > 0) {
    await setup.session.query(addColumnsSql(target, missing));
    setup.logger.log(
      "INFO",
      `Added columns ${missing.map((c) => JSON.stringify(c.column)).join(", ")} to ${target}`,
    );
  }
  return planned.map((p) => {
    const found = byName.get(p.column.toLowerCase());
    if (found === undefined) return p;
    const type = existingColumnType(found.dataType, found.columnType, json.has(found.name), p.type);
    return { ...p, column: found.name, type };
  });
}

// MariaDB's JSON is LONGTEXT with a json_valid check on the column.
async function jsonColumns(session: MysqlSession, database: string, table: string): Promise<Set<string>> {
  try {
    const rows = await session.query<{ clause: string }>(
      "SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS " +
        "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CHECK_CLAUSE LIKE 'json_valid(%'",
      [database, table],
    );
    const names = rows.map((r) => /^json_valid\(`((?:[^`]|``)+)`\)$/.exec(r.clause.trim())?.[1]);
    return new Set(names.filter((n): n is string => n !== undefined).map((n) => n.replaceAll("``", "`")));
  } catch {
    return new Set(); // MySQL: JSON is a type of its own, and CHECK_CONSTRAINTS has no TABLE_NAME
  }
}

function primaryKeyFields(configured: ConfiguredAirbyteStream): string[] {
  const stream = configured.stream;
  const key = configured.primary_key ?? stream.source_defined_primary_key ?? [];
  if (key.length === 0) {
    throw configError(`Stream ${stream.name}: append_dedup needs a primary key, and none is configured`);
  }
  return key.map((path) => {
    if (path.length !== 1) {
      throw configError(
        `Stream ${stream.name}: the primary key ${JSON.stringify(path)} is nested; destination-mysql dedups on top-level fields`,
      );
    }
    return path[0] as string;
  });
}

function columnOf(
  columns: readonly PlannedColumn[],
  field: string,
  stream: string,
  role: string,
): PlannedColumn {
  const column = columns.find((c) => c.field === field);
  if (column === undefined) {
    throw configError(
      `Stream ${stream}: the ${role} ${JSON.stringify(field)} is not a field of the stream's schema`,
    );
  }
  return column;
}

function keyIndex(columns: readonly PlannedColumn[], keyFields: readonly string[], stream: string) {
  if (keyFields.length === 0) return undefined;
  return indexParts(keyFields.map((f) => columnOf(columns, f, stream, "primary key")));
}

async function ensureKeyIndex(
  session: MysqlSession,
  where: {
    readonly target: string;
    readonly database: string;
    readonly table: string;
    readonly stream: string;
  },
  columns: readonly PlannedColumn[],
  keyFields: readonly string[],
): Promise<void> {
  const { target, database, table } = where;
  const found = await session.query(
    "SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ? LIMIT 1",
    [database, table, KEY_INDEX],
  );
  if (found.length > 0) return;
  const parts = keyIndex(columns, keyFields, where.stream) ?? [];
  const sql = parts.map((p) =>
    p.prefixChars === undefined ? q(p.column) : `${q(p.column)}(${p.prefixChars})`,
  );
  await session.query(`ALTER TABLE ${target} ADD INDEX ${q(KEY_INDEX)} (${sql.join(", ")})`);
}

function dedupKeys(
  configured: ConfiguredAirbyteStream,
  columns: readonly PlannedColumn[],
  keyFields: readonly string[],
  logger: ConnectorLogger,
): DedupKeys {
  const stream = configured.stream;
  const cursorPath = configured.cursor_field ?? stream.default_cursor_field ?? [];
  let cursor: string | undefined;
  if (cursorPath.length === 1)
    cursor = columnOf(columns, cursorPath[0] as string, stream.name, "cursor").column;
  else if (cursorPath.length > 1) {
    logger.log(
      "WARN",
      `Stream ${stream.name}: the cursor ${JSON.stringify(cursorPath)} is nested; dedup keeps the latest row by extraction time`,
    );
  }
  return {
    primaryKey: keyFields.map((f) => columnOf(columns, f, stream.name, "primary key").column),
    cursor,
    cdcDeletedAt: columns.find((c) => c.field === "_ab_cdc_deleted_at")?.column,
  };
}
