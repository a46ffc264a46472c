import type { StreamChunk } from "@weir/cdk";
import { qualifiedName, quoteIdentifier, quoteLiteral } from "@weir/postgres-connection";
import type pg from "pg";
import { type BatchLimits, copyRecordBatches, type SelectedColumns } from "./copy-record-batches.js";
import { cursorState, fullRefreshDoneState, keyState, pageState, type ReadStart } from "./stream-state.js";
import type { SourceTable, TableColumn } from "./table-catalog.js";

/** Sizes of reads; the defaults suit real tables, tests make them small. */
export interface ReadTuning {
  /** Rows per keyset chunk query of a full refresh; 0 sizes chunks from the table's average row. */
  readonly chunkRows: number;
  /** Heap pages per ctid chunk query of a table without a primary key. */
  readonly chunkPages: number;
  readonly batch: BatchLimits;
}

export const DEFAULT_READ_TUNING: ReadTuning = {
  chunkRows: 0,
  chunkPages: 16_384,
  batch: { rows: 5_000, bytes: 8 << 20 },
};

/** What a read needs: the open connection, the table, the selected columns. */
export interface TableRead {
  readonly client: pg.Client;
  readonly table: SourceTable;
  readonly selected: readonly TableColumn[];
  readonly tuning: ReadTuning;
  readonly serverVersion: number;
  /** Throws when the table changed since the read began; called before each further chunk query. */
  readonly verify: () => Promise<void>;
}

const ALIAS = "t";
const col = (name: string) => `${ALIAS}.${quoteIdentifier(name)}`;
const typed = (text: string, column: TableColumn) => `${quoteLiteral(text)}::${column.sqlType}`;

function columnsOf(read: TableRead): SelectedColumns {
  return { names: read.selected.map((c) => c.name), codecs: read.selected.map((c) => c.codec) };
}

function selectSql(read: TableRead, where: string, orderBy: readonly string[], limit?: number): string {
  const exprs = read.selected.map((c) => c.codec.select(col(c.name))).join(", ");
  const from = `${qualifiedName(read.table.schema, read.table.name)} AS ${ALIAS}`;
  const order = orderBy.length > 0 ? ` ORDER BY ${orderBy.map(col).join(", ")}` : "";
  const tail = limit === undefined ? "" : ` LIMIT ${limit}`;
  return `COPY (SELECT ${exprs} FROM ${from}${where === "" ? "" : ` WHERE ${where}`}${order}${tail}) TO STDOUT (FORMAT binary)`;
}

function columnNamed(read: TableRead, name: string): { column: TableColumn; index: number } {
  const index = read.selected.findIndex((c) => c.name === name);
  const column = read.selected[index];
  if (column === undefined) throw new Error(`column ${name} is not selected`);
  return { column, index };
}

// `(t."a", t."b") > (E'1'::integer, E'x'::text)`: the keyset condition after a key.
function afterKeySql(read: TableRead, names: readonly string[], values: readonly string[], op = ">"): string {
  const left = names.map(col).join(", ");
  const right = names.map((name, i) => typed(values[i] as string, columnNamed(read, name).column)).join(", ");
  return `(${left}) ${op} (${right})`;
}

/** A full refresh of a table with a primary key: keyset chunks, a state after every batch. */
export async function* readByKey(read: TableRead, start: ReadStart): AsyncGenerator<StreamChunk> {
  const key = read.table.primaryKey;
  const keyIndexes = key.map((name) => columnNamed(read, name).index);
  const chunkRows = read.tuning.chunkRows > 0 ? read.tuning.chunkRows : defaultChunkRows(read.table);
  let after = start.kind === "after_key" ? start.key : undefined;
  for (let chunk = 0; ; chunk++) {
    if (chunk > 0) await read.verify();
    const where = after === undefined ? "" : afterKeySql(read, key, after);
    let rows = 0;
    const sql = selectSql(read, where, key, chunkRows);
    for await (const batch of copyRecordBatches(
      read.client,
      sql,
      columnsOf(read),
      read.tuning.batch,
      keyIndexes,
    )) {
      rows += batch.records.length;
      after = batch.lastKeys.map((text) => text ?? "");
      yield { records: batch.records, state: keyState(key, after) };
    }
    if (rows < chunkRows) break;
  }
  yield { records: [], state: fullRefreshDoneState() };
}

// Chunks of about 256 MB of heap, from the table's average row size.
function defaultChunkRows(table: SourceTable): number {
  if (table.estimatedRows <= 0 || table.pages <= 0) return 500_000;
  const rowBytes = (table.pages * 8192) / table.estimatedRows;
  return Math.round(Math.min(5_000_000, Math.max(50_000, (256 << 20) / Math.max(rowBytes, 1))));
}

/**
 * A full refresh of a table without a primary key: ranges of heap pages (TID range scans,
 * Postgres 14+), a state after every range. A table rewritten meanwhile (VACUUM FULL) gets new
 * ctids, so the file node is checked before each range and kept in the state.
 */
export async function* readByPages(read: TableRead, start: ReadStart): AsyncGenerator<StreamChunk> {
  const { client, table } = read;
  let tid = start.kind === "after_tid" ? `(${start.page},${start.tuple})` : "(0,0)";
  let page = start.kind === "after_tid" ? start.page : 0;
  for (;;) {
    const info = await client.query<{ pages: string; filenode: number | null }>(
      `SELECT pg_catalog.pg_relation_size($1::oid) / current_setting('block_size')::int8 AS pages,
              pg_catalog.pg_relation_filenode($1::oid)::int AS filenode`,
      [table.oid],
    );
    const row = info.rows[0];
    if (row === undefined || row.filenode === null) throw new Error("the table has no storage");
    if (row.filenode !== table.fileNode) {
      throw new TableRewritten(`${qualifiedName(table.schema, table.name)} was rewritten during the sync`);
    }
    if (page >= Number(row.pages)) break;
    if (page > (start.kind === "after_tid" ? start.page : 0)) await read.verify();
    const next = page + read.tuning.chunkPages;
    const where = `${ALIAS}.ctid > ${quoteLiteral(tid)}::tid AND ${ALIAS}.ctid < ${quoteLiteral(`(${next},0)`)}::tid`;
    const batches = copyRecordBatches(client, selectSql(read, where, []), columnsOf(read), read.tuning.batch);
    for await (const batch of batches) yield { records: batch.records };
    page = next;
    tid = `(${next},0)`;
    yield { records: [], state: pageState(next, table.fileNode) };
  }
  yield { records: [], state: fullRefreshDoneState() };
}

/** Raised when ctids stop meaning what the state says; a retry starts the table over. */
export class TableRewritten extends Error {}

/** A full refresh in one query (views, partitioned tables): nothing to resume from. */
export async function* readWhole(read: TableRead): AsyncGenerator<StreamChunk> {
  const batches = copyRecordBatches(read.client, selectSql(read, "", []), columnsOf(read), read.tuning.batch);
  for await (const batch of batches) yield { records: batch.records };
  yield { records: [], state: fullRefreshDoneState() };
}

/**
 * An incremental read by a cursor column, in (cursor, primary key) order, in one query. The
 * state keeps the last cursor value, how many rows with that value were emitted, and the key of
 * the last one. Next time, if the rows with that value are still exactly those counted, the
 * read goes on right after them (or after the key); if some were added, all rows with that value
 * are read again: a repeat of those few rows, never a loss.
 */
export async function* readByCursor(
  read: TableRead,
  cursorName: string,
  start: ReadStart,
  stream: { readonly name: string; readonly namespace: string },
): AsyncGenerator<StreamChunk> {
  const { client } = read;
  const cursor = columnNamed(read, cursorName);
  const key = read.table.primaryKey.filter((name) => name !== cursorName);
  const keyIndexes = key.map((name) => columnNamed(read, name).index);
  let where = `${col(cursorName)} IS NOT NULL`;
  let carried: { text: string; count: number } | undefined;
  if (start.kind === "cursor") {
    const atCursor = `${col(cursorName)} = ${typed(start.cursor, cursor.column)}`;
    const upTo =
      start.key === undefined || key.length === 0 ? "" : ` AND ${afterKeySql(read, key, start.key, "<=")}`;
    const from = `${qualifiedName(read.table.schema, read.table.name)} AS ${ALIAS}`;
    const counted = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${from} WHERE ${atCursor}${upTo}`,
    );
    const unchanged = Number(counted.rows[0]?.n ?? 0) === start.count;
    if (unchanged && start.key !== undefined && key.length > 0) {
      where = afterKeySql(read, [cursorName, ...key], [start.cursor, ...start.key]);
      carried = { text: start.cursor, count: start.count };
    } else if (unchanged) where = `${col(cursorName)} > ${typed(start.cursor, cursor.column)}`;
    else where = `${col(cursorName)} >= ${typed(start.cursor, cursor.column)}`;
  }

  // Rows sharing the cursor value of the previous row are counted; raw bytes compare equal
  // values (a value printed two ways only splits a count, which errs on the side of a repeat).
  let previous: Buffer | undefined;
  let count = 0;
  let first = true;
  const index = cursor.index;
  const observe = (bufs: readonly Buffer[], starts: Int32Array, ends: Int32Array) => {
    const buf = bufs[index] as Buffer;
    const value = buf.subarray(starts[index], ends[index]);
    if (first) {
      first = false;
      const text = cursor.column.codec.keyText(buf, starts[index] as number, ends[index] as number);
      count = carried !== undefined && text === carried.text ? carried.count : 0;
    } else if (previous === undefined || !value.equals(previous)) count = 0;
    previous = value;
    count++;
  };
  const sql = selectSql(read, where, [cursorName, ...key]);
  const fields = [index, ...keyIndexes];
  for await (const batch of copyRecordBatches(
    client,
    sql,
    columnsOf(read),
    read.tuning.batch,
    fields,
    observe,
  )) {
    const [cursorText, ...keyTexts] = batch.lastKeys.map((text) => text ?? "");
    const keyText = key.length === 0 ? undefined : keyTexts;
    yield {
      records: batch.records,
      state: cursorState(stream, cursorName, cursorText ?? "", count, keyText),
    };
  }
}
