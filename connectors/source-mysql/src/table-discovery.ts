import type { MysqlSession } from "@weir/mysql-connection";
import type { ColumnInfo } from "./column-types.js";

/** A table or view of the configured database, as discovery found it. */
export interface TableInfo {
  readonly name: string;
  readonly isView: boolean;
  readonly columns: readonly ColumnInfo[];
  /** Primary key columns in key order; empty without a primary key (and for views). */
  readonly primaryKey: readonly string[];
  /** Columns that lead some index: reading ordered by them is a range scan, not a sort. */
  readonly indexLeaders: ReadonlySet<string>;
  /** information_schema's row estimate (InnoDB's is approximate); null for views. */
  readonly estimatedRows: number | null;
  readonly estimatedBytes: number | null;
}

/** Airbyte's `table_filters` entry: SQL LIKE patterns of the tables to include. */
export interface TableFilter {
  readonly database_name: string;
  readonly table_name_patterns: readonly string[];
}

interface TableRow {
  readonly t: string;
  readonly kind: string;
  readonly table_rows: number | string | null;
  readonly data_length: number | string | null;
}

interface ColumnRow {
  readonly t: string;
  readonly c: string;
  readonly data_type: string;
  readonly column_type: string;
  readonly is_nullable: string;
  readonly numeric_precision: number | string | null;
  readonly numeric_scale: number | string | null;
  readonly character_maximum_length: number | string | null;
}

interface IndexRow {
  readonly t: string;
  readonly c: string;
  readonly index_name: string;
  readonly seq: number;
}

const toNumber = (value: number | string | null): number | null => (value === null ? null : Number(value));

/**
 * Every base table and view of `database` with its columns, primary key and leading index
 * columns, in name order. `filters` keep only the tables matching one of their patterns.
 * Example: `await discoverTables(session, "shop", [])`.
 */
export async function discoverTables(
  session: MysqlSession,
  database: string,
  filters: readonly TableFilter[],
): Promise<TableInfo[]> {
  const patterns = filters.filter((f) => f.database_name === database).flatMap((f) => f.table_name_patterns);
  const tableFilter =
    patterns.length === 0 ? "" : ` AND (${patterns.map(() => "TABLE_NAME LIKE ?").join(" OR ")})`;
  const tables = await session.query<TableRow>(
    "SELECT TABLE_NAME AS t, TABLE_TYPE AS kind, TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length " +
      "FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')" +
      `${tableFilter} ORDER BY TABLE_NAME`,
    [database, ...patterns],
  );
  if (tables.length === 0) return [];
  const columns = await session.query<ColumnRow>(
    "SELECT TABLE_NAME AS t, COLUMN_NAME AS c, LOWER(DATA_TYPE) AS data_type, LOWER(COLUMN_TYPE) AS column_type, " +
      "IS_NULLABLE AS is_nullable, NUMERIC_PRECISION AS numeric_precision, NUMERIC_SCALE AS numeric_scale, " +
      "CHARACTER_MAXIMUM_LENGTH AS character_maximum_length " +
      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
    [database],
  );
  const indexes = await session.query<IndexRow>(
    "SELECT TABLE_NAME AS t, COLUMN_NAME AS c, INDEX_NAME AS index_name, SEQ_IN_INDEX AS seq " +
      "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    [database],
  );
  const jsonColumns = await mariadbJsonColumns(session, database);

  const columnsByTable = new Map<string, ColumnInfo[]>();
  for (const row of columns) {
    const list = columnsByTable.get(row.t) ?? [];
    list.push({
      name: row.c,
      dataType: row.data_type,
      columnType: row.column_type,
      nullable: row.is_nullable === "YES",
      numericPrecision: toNumber(row.numeric_precision),
      numericScale: toNumber(row.numeric_scale),
      characterMaximumLength: toNumber(row.character_maximum_length),
      isJson: jsonColumns.has(`${row.t}\u0000${row.c}`),
    });
    columnsByTable.set(row.t, list);
  }
  const primaryKeys = new Map<string, string[]>();
  const leaders = new Map<string, Set<string>>();
  for (const row of indexes) {
    if (row.index_name === "PRIMARY") {
      const key = primaryKeys.get(row.t) ?? [];
      key.push(row.c);
      primaryKeys.set(row.t, key);
    }
    if (Number(row.seq) === 1) {
      const set = leaders.get(row.t) ?? new Set<string>();
      set.add(row.c);
      leaders.set(row.t, set);
    }
  }
  return tables
    .filter((table) => columnsByTable.has(table.t))
    .map((table) => {
      const isView = table.kind === "VIEW";
      return {
        name: table.t,
        isView,
        columns: columnsByTable.get(table.t) ?? [],
        primaryKey: primaryKeys.get(table.t) ?? [],
        indexLeaders: leaders.get(table.t) ?? new Set<string>(),
        estimatedRows: isView ? null : toNumber(table.table_rows),
        estimatedBytes: isView ? null : toNumber(table.data_length),
      };
    });
}

// MariaDB's JSON type is an alias of LONGTEXT whose only trace is the check json_valid(`col`).
async function mariadbJsonColumns(session: MysqlSession, database: string): Promise<Set<string>> {
  let rows: { t: string; clause: string }[];
  try {
    rows = await session.query(
      "SELECT TABLE_NAME AS t, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS " +
        "WHERE CONSTRAINT_SCHEMA = ? AND CHECK_CLAUSE LIKE 'json_valid(%'",
      [database],
    );
  } catch {
    return new Set(); // MySQL before 8.0.16 has no CHECK_CONSTRAINTS, and no JSON-as-text either
  }
  const found = new Set<string>();
  for (const row of rows) {
    const match = /^json_valid\(`((?:[^`]|``)+)`\)$/.exec(row.clause.trim());
    if (match?.[1] !== undefined) found.add(`${row.t}\u0000${match[1].replaceAll("``", "`")}`);
  }
  return found;
}
