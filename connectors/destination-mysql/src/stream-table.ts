import type { MysqlSession } from "@weir/mysql-connection";
import { qualifiedTable } from "@weir/mysql-connection";
import type { AirbyteRecordMessage } from "@weir/protocol";
import { ByteSink } from "./byte-sink.js";
import type { dedupMergeSql } from "./dedup-sql.js";
import { workTableName } from "./mysql-names.js";
import { RowEncoder } from "./row-encoder.js";
import type { LoadTarget, RowLoader } from "./row-loader.js";
import type { PlannedColumn } from "./stream-columns.js";
import { insertHeadSql, loadDataSql } from "./table-sql.js";

/** How a configured stream is written, decided once at open. */
export interface StreamWritePlan {
  readonly key: string;
  readonly database: string;
  readonly table: string;
  /** Built aside and swapped in at close: overwrite, and refreshes that truncate. */
  readonly truncate: boolean;
  readonly dedup: boolean;
  readonly minimumGenerationId: number;
}

/** The SQL a stream runs, prepared at open. */
export interface StreamTableSql {
  /** Where rows are loaded: the table, the table built aside, or the temporary stage of a dedup. */
  readonly loadTarget: string;
  readonly loadSql: string;
  readonly merge: ReturnType<typeof dedupMergeSql> | undefined;
}

/**
 * One stream's table. Records are encoded into rows and handed to the loader about every
 * `batchBytes`; a dedup stream's rows go to a temporary stage that `flush` merges into the table
 * in one transaction, so what `flush` returns from is committed.
 */
export class StreamTable {
  // LOAD DATA rows go straight into bytes; INSERT tuples stay strings (statements are cut from them).
  readonly #sink = new ByteSink();
  #rows: string[] = [];
  #buffered = 0;
  #bytes = 0;
  #staged = 0;
  readonly #encoder: RowEncoder;
  readonly #load: LoadTarget;

  constructor(
    private readonly session: MysqlSession,
    private readonly loader: RowLoader,
    readonly plan: StreamWritePlan,
    readonly columns: readonly PlannedColumn[],
    private readonly sql: StreamTableSql,
    options: { readonly syncId: number | null; readonly generationId: number | null },
    private readonly batchBytes: number,
  ) {
    this.#encoder = new RowEncoder(
      columns.map((c) => ({ field: c.field, encoder: c.type.encoder, base64: c.type.base64 })),
      loader.format,
      { ...options, withSeq: plan.dedup },
    );
    this.#load = { sql: sql.loadSql, describe: `stream ${plan.table}` };
  }

  /** The table readers see, qualified. */
  get target(): string {
    return qualifiedTable(this.plan.database, this.plan.table);
  }

  /** The table an overwrite is built in. */
  get aside(): string {
    return qualifiedTable(this.plan.database, workTableName("tmp", this.plan.table));
  }

  /** Encodes a record into the buffer; true when the buffer is full and `sendBuffered` is due. */
  append(record: AirbyteRecordMessage): boolean {
    const row = this.#encoder.encode(record);
    if (this.loader.format === "load_data") this.#sink.write(row);
    else this.#rows.push(row);
    this.#buffered++;
    this.#bytes += row.length;
    return this.#bytes >= this.batchBytes;
  }

  /** Hands the buffered rows to the loader; returns once the server has room for more. */
  async sendBuffered(): Promise<void> {
    if (this.#buffered === 0) return;
    this.#staged += this.#buffered;
    this.#buffered = 0;
    this.#bytes = 0;
    if (this.loader.format === "load_data") {
      await this.loader.push(this.#load, this.#sink.take());
    } else {
      const rows = this.#rows;
      this.#rows = [];
      await this.loader.insert(this.#load, rows);
    }
  }

  /** Commits what was written and, for a dedup stream, merges the stage into the table. */
  async flush(): Promise<void> {
    await this.sendBuffered();
    await this.loader.finish();
    const merge = this.sql.merge;
    if (merge === undefined || this.#staged === 0) return;
    for (const statement of merge.prepare) await this.session.query(statement);
    await this.session.query("START TRANSACTION");
    try {
      for (const statement of merge.merge) await this.session.query(statement);
      await this.session.query("COMMIT");
    } catch (error) {
      await this.session.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
    this.#staged = 0;
    for (const statement of merge.cleanup) await this.session.query(statement);
  }
}

/** The load statement for a target table, in the loader's format. */
export function loadStatement(
  loader: RowLoader,
  target: string,
  columns: readonly PlannedColumn[],
  withSeq: boolean,
): string {
  return loader.format === "load_data"
    ? loadDataSql(target, columns, withSeq)
    : insertHeadSql(target, columns, withSeq);
}
