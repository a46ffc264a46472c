import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import type { AirbyteRecordMessage } from "@weir/protocol";
import type { SqlColumn } from "./stream-sql.js";

/** A column the hot path fills: where its value comes from and the change texts it may add. */
export interface StagedColumn extends SqlColumn {
  /** The record field; undefined for the whole record (`_airbyte_data` of a schemaless stream). */
  readonly source: string | undefined;
  /** True for names like `constructor`, which a plain lookup would find on Object.prototype. */
  readonly ownOnly: boolean;
  /** `_airbyte_meta.changes` entries by append outcome (index 1 and 2). */
  readonly changeTexts: readonly string[];
}

/** How a configured stream is written, decided once at open. */
export interface StreamWritePlan {
  readonly key: string;
  readonly schema: string;
  readonly table: string;
  /** Built aside in `_weir_tmp_<table>` and swapped in at close: overwrite and truncate refreshes. */
  readonly truncate: boolean;
  readonly minimumGenerationId: number;
}

/** The SQL a stream table runs, prepared once at open. */
export interface StreamTableSql {
  readonly stage: string;
  /** Moves the staged rows into the table (or pending table) and empties the stage. */
  readonly move: readonly string[];
  /** Merges the pending rows into the table and empties the pending table; dedup streams only. */
  readonly merge: readonly string[] | undefined;
  /** The pending table (qualified), dedup streams only. */
  readonly pendingTable: string | undefined;
}

/**
 * One stream's table and its staging. Records are appended to a TEMP staging table; `moveStaged`
 * commits them set-based into the table, or for a dedup stream into a pending table that is
 * merged into the table every `mergeThresholdRows` rows and at close: merging scans the table,
 * and doing that at every flush (every state message) would cost time quadratic in its size.
 */
export class StreamTable {
  /** Rows staged since the last move. */
  staged = 0;
  /** Rows moved into the pending table since the last merge. */
  pending = 0;
  private appender: DuckDBAppender | undefined;
  private seq = 0;

  constructor(
    private readonly connection: DuckDBConnection,
    readonly plan: StreamWritePlan,
    private readonly columns: readonly StagedColumn[],
    private readonly sql: StreamTableSql,
    private readonly mergeThresholdRows: number,
  ) {}

  get needsAppender(): boolean {
    return this.appender === undefined;
  }

  /** Opens the staging appender; call before `appendRecord` when `needsAppender`. */
  async openAppender(): Promise<void> {
    this.appender = await this.connection.createAppender(this.sql.stage, "main", "temp");
  }

  /** The hot path: one record into the staging appender, without schema libraries. */
  appendRecord(record: AirbyteRecordMessage): void {
    const appender = this.appender as DuckDBAppender;
    const data = record.data;
    let changes = sourceChanges(record);
    for (const column of this.columns) {
      const source = column.source;
      const value =
        source === undefined
          ? data
          : column.ownOnly && !Object.hasOwn(data, source)
            ? undefined
            : data[source];
      if (value === undefined || value === null) {
        appender.appendNull();
        continue;
      }
      const outcome = column.encoder.append(appender, value);
      if (outcome !== 0) {
        const change = column.changeTexts[outcome] as string;
        changes = changes === undefined ? change : `${changes},${change}`;
      }
    }
    appender.appendDouble(record.emitted_at);
    appender.appendDouble(this.seq++);
    if (changes === undefined) appender.appendNull();
    else appender.appendVarchar(changes);
    appender.endRow();
    this.staged++;
  }

  /** Commits the staged rows (durable on return), merging pending rows when enough have gathered. */
  async moveStaged(): Promise<void> {
    this.appender?.flushSync();
    if (this.staged === 0) return;
    await runInTransaction(this.connection, this.sql.move);
    if (this.sql.merge !== undefined) this.pending += this.staged;
    this.staged = 0;
    if (this.pending >= this.mergeThresholdRows) await this.mergePending();
  }

  /** Merges the pending rows of a dedup stream into its table. */
  async mergePending(): Promise<void> {
    if (this.sql.merge === undefined || this.pending === 0) return;
    await runInTransaction(this.connection, this.sql.merge);
    this.pending = 0;
  }

  /** SQL that drops the work tables of this stream that hold no committed rows waiting to be merged. */
  dropEmptyWorkTablesSql(): string[] {
    return this.sql.pendingTable !== undefined && this.pending === 0
      ? [`DROP TABLE IF EXISTS ${this.sql.pendingTable}`]
      : [];
  }

  /** Closes the appender; rows it still holds go to the stage, never to the table. */
  closeAppender(): void {
    const appender = this.appender;
    this.appender = undefined;
    appender?.closeSync();
  }
}

/** Runs statements in one transaction (one round trip), rolling back if one fails. */
export async function runInTransaction(
  connection: DuckDBConnection,
  statements: readonly string[],
): Promise<void> {
  try {
    await connection.run(`BEGIN TRANSACTION;\n${statements.join(";\n")};\nCOMMIT`);
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

function sourceChanges(record: AirbyteRecordMessage): string | undefined {
  const changes = record.meta?.changes;
  if (changes === undefined || changes === null || changes.length === 0) return undefined;
  return changes.map((change) => JSON.stringify(change)).join(",");
}
