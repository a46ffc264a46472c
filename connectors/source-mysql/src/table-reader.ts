import type { ConnectorLogger, StreamChunk } from "@weir/cdk";
import { classifyMysqlError, type MysqlSession, qualifiedTable } from "@weir/mysql-connection";
import { queryBatches } from "./query-batches.js";
import type { Position, ReadPlan } from "./read-plan.js";
import { RowConverter } from "./row-converter.js";
import { afterPosition, atOrAfter, stateText } from "./sql-position.js";
import { type MysqlStreamState, writeStreamState } from "./stream-state.js";

/** Sizes of a read; the defaults suit real tables, tests make them small. */
export interface ReadTuning {
  /** Rows per query of a chunked read: each query is a short index range scan of its own. */
  readonly chunkRows: number;
  /** Rows per yielded chunk (and at most per STATE). */
  readonly batchRows: number;
}

export const DEFAULT_READ_TUNING: ReadTuning = { chunkRows: 100_000, batchRows: 2_000 };

/** What reading one table needs. */
export interface TableRead {
  readonly session: MysqlSession;
  readonly database: string;
  readonly table: string;
  readonly plan: ReadPlan;
  readonly tuning: ReadTuning;
  readonly logger: ConnectorLogger;
}

/**
 * Reads a table as the plan says, yielding converted records with the state after them. The
 * state is always the position of the last row yielded, so a read that fails at any point
 * resumes right after it. Example: `for await (const chunk of readTable(read)) …`.
 */
export async function* readTable(read: TableRead): AsyncGenerator<StreamChunk> {
  const { plan, session } = read;
  const converter = new RowConverter(plan.emitted);
  const target = qualifiedTable(read.database, read.table);
  let position = plan.start;
  // Rows of the resumed cursor value that a previous read already delivered (no key to tell them apart).
  let skip = position.started && position.key === undefined ? position.count : 0;
  let yieldedState = false;
  const stream = { name: read.table, namespace: read.database };
  for (let first = true; ; first = false) {
    const sql = querySql(plan, target, position, first, read.tuning.chunkRows);
    let rowsInQuery = 0;
    try {
      for await (const rows of queryBatches(session.connection, sql, read.tuning.batchRows)) {
        rowsInQuery += rows.length;
        let batch = rows;
        if (skip > 0) {
          batch = skipDelivered(rows, plan.cursorIndex, position.cursor, skip);
          // Once a row survives, the rows of the resumed value that were delivered are behind us.
          skip = batch.length > 0 ? 0 : skip - rows.length;
        }
        if (batch.length === 0) continue;
        position = advance(plan, position, batch);
        yieldedState = plan.mode !== "full_scan";
        yield {
          records: converter.convert(batch),
          ...(plan.mode === "full_scan" ? {} : { state: writeStreamState(stateOf(plan, position), stream) }),
        };
      }
    } catch (error) {
      throw classifyMysqlError(error, `Reading table ${target}`, session.settings);
    }
    if (!plan.chunked || rowsInQuery < read.tuning.chunkRows) break;
  }
  warnAboutNulls(converter, read);
  if (plan.mode === "full_keyset" || plan.mode === "full_scan") {
    yield { records: [], state: writeStreamState({ complete: true }, stream) };
  } else if (!yieldedState) {
    yield { records: [], state: writeStreamState(stateOf(plan, position), stream) };
  }
}

function querySql(
  plan: ReadPlan,
  target: string,
  position: Position,
  first: boolean,
  chunkRows: number,
): string {
  let where: string | undefined;
  let order: string[] = [];
  switch (plan.mode) {
    case "full_scan":
      break;
    case "full_keyset":
      order = plan.primaryKey.map((c) => c.quoted);
      if (position.started && position.key !== undefined)
        where = afterPosition(plan.primaryKey, position.key);
      break;
    case "cursor_keyset":
    case "cursor_only": {
      const cursor = plan.cursor;
      if (cursor === undefined) throw new Error("an incremental plan has a cursor");
      order = [cursor.quoted, ...plan.primaryKey.map((c) => c.quoted)];
      if (!position.started) break;
      if (position.key !== undefined) {
        where = afterPosition([cursor, ...plan.primaryKey], [position.cursor, ...position.key]);
      } else if (first && position.count > 0) {
        where = atOrAfter(cursor, position.cursor);
      } else {
        where = afterPosition([cursor], [position.cursor]);
      }
      break;
    }
  }
  return [
    `SELECT ${plan.selectList} FROM ${target}`,
    where === undefined ? "" : ` WHERE ${where}`,
    order.length === 0 ? "" : ` ORDER BY ${order.join(", ")}`,
    plan.chunked ? ` LIMIT ${chunkRows}` : "",
  ].join("");
}

// Drops, from the front of a resumed read, rows whose cursor equals the resumed value, up to `skip`.
function skipDelivered(
  rows: unknown[][],
  cursorIndex: number,
  cursor: string | null,
  skip: number,
): unknown[][] {
  let dropped = 0;
  while (dropped < rows.length && dropped < skip && stateText(rows[dropped]?.[cursorIndex]) === cursor)
    dropped++;
  return dropped === 0 ? rows : rows.slice(dropped);
}

function advance(plan: ReadPlan, position: Position, rows: readonly unknown[][]): Position {
  const last = rows[rows.length - 1] as unknown[];
  const key = plan.keyIndexes.length === 0 ? undefined : plan.keyIndexes.map((i) => stateText(last[i]) ?? "");
  if (plan.cursorIndex < 0) return { started: true, cursor: null, key, count: 0 };
  let { cursor, count, started } = position;
  for (const row of rows) {
    const value = stateText(row[plan.cursorIndex]);
    if (started && value === cursor) count++;
    else {
      cursor = value;
      count = 1;
      started = true;
    }
  }
  return { started: true, cursor, key, count };
}

function stateOf(plan: ReadPlan, position: Position): MysqlStreamState {
  if (plan.mode === "full_keyset") {
    return {
      type: "primary_key",
      primaryKey: plan.primaryKey.map((c) => c.name),
      lastKey: position.key ?? [],
    };
  }
  const keyed = plan.mode === "cursor_keyset" && position.key !== undefined;
  return {
    type: "cursor_based",
    cursorField: plan.cursor?.name ?? "",
    cursor: position.cursor,
    cursorRecordCount: position.count,
    primaryKey: keyed ? plan.primaryKey.map((c) => c.name) : undefined,
    lastKey: keyed ? position.key : undefined,
  };
}

function warnAboutNulls(converter: RowConverter, read: TableRead): void {
  for (const [field, reasons] of converter.nulled) {
    for (const [reason, count] of reasons) {
      const what =
        reason === "zero_date"
          ? "zero dates ('0000-00-00', or a zero month or day) were emitted as null, as Airbyte's source-mysql does"
          : "TIME values outside 00:00:00-23:59:59 (durations) were emitted as null";
      read.logger.log("WARN", `${read.table}.${field}: ${count} ${what}`);
    }
  }
}
