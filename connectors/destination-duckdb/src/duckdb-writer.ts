import {
  ConnectorError,
  type DestinationWriter,
  systemError,
  type WriteContext,
  type WriteResult,
} from "@weir/cdk";
import { type AirbyteRecordMessage, streamKey } from "@weir/protocol";
import { type DuckdbConfig, resolveDuckdbConfig } from "./config.js";
import { type OpenDatabase, openDatabase } from "./database-open.js";
import { quoteIdentifier as q, qualifiedTable } from "./sql-identifiers.js";
import { runInTransaction, type StreamTable } from "./stream-table.js";
import { buildAsideName, pendingName, prepareStreamTable } from "./stream-table-setup.js";

/** Batch sizes of the writer; the defaults suit real syncs, tests make them small. */
export interface DuckdbWriterTuning {
  /** Staged rows (all streams) after which `write` moves them into the tables, bounding memory. */
  readonly maxStagedRows: number;
  /** Rows waiting in a dedup stream's pending table after which they are merged into its table. */
  readonly mergeThresholdRows: number;
}

export const DEFAULT_TUNING: DuckdbWriterTuning = { maxStagedRows: 200_000, mergeThresholdRows: 500_000 };

const SUPPORTED_MODES = new Set(["append", "overwrite", "append_dedup"]);

/**
 * Opens the DuckDB file and prepares every configured stream's table.
 * Example: `const writer = await openDuckdbWriter(ctx); await writer.write(records); await writer.close(result)`.
 */
export async function openDuckdbWriter(
  ctx: WriteContext<DuckdbConfig>,
  tuning: DuckdbWriterTuning = DEFAULT_TUNING,
): Promise<DestinationWriter> {
  const resolved = resolveDuckdbConfig(ctx.config);
  if (!resolved.ok) throw resolved.error;
  const { path, schema, ignoredMotherduckKey } = resolved.value;
  if (ignoredMotherduckKey) {
    ctx.logger.log(
      "WARN",
      "motherduck_api_key is set but ignored: this destination writes a local DuckDB file only",
    );
  }
  for (const configured of ctx.catalog.streams) {
    if (!SUPPORTED_MODES.has(configured.destination_sync_mode)) {
      throw new ConnectorError(
        "config_error",
        `Stream ${configured.stream.name}: destination sync mode ${configured.destination_sync_mode} is not supported by destination-duckdb (append, overwrite, append_dedup)`,
      );
    }
  }
  const opened = await openDatabase(path);
  if (!opened.ok) throw opened.error;
  const db = opened.db;
  const tables: StreamTable[] = [];
  try {
    for (const [index, configured] of ctx.catalog.streams.entries()) {
      const { table, addedColumns, recoveredRows } = await prepareStreamTable(
        db.connection,
        configured,
        schema,
        index,
        tuning.mergeThresholdRows,
      );
      const name = qualifiedTable(table.plan.schema, table.plan.table);
      if (addedColumns.length > 0) {
        ctx.logger.log(
          "INFO",
          `Added columns ${addedColumns.map((c) => JSON.stringify(c)).join(", ")} to ${name}`,
        );
      }
      if (recoveredRows > 0) {
        ctx.logger.log("INFO", `Merged ${recoveredRows} rows an interrupted sync had committed into ${name}`);
      }
      tables.push(table);
    }
  } catch (error) {
    db.close();
    throw asConnectorError(error, `Cannot prepare the tables in ${path}`);
  }
  ctx.logger.log("INFO", `Writing ${tables.length} stream(s) to ${path}`);
  return new DuckdbWriter(db, tables, ctx, tuning.maxStagedRows);
}

class DuckdbWriter implements DestinationWriter {
  readonly deferredStreams: ReadonlySet<string>;
  private readonly byKey: Map<string, StreamTable>;
  private last: StreamTable | undefined;
  private lastName = "";
  private lastNamespace = "";
  private staged = 0;
  private readonly unknownStreams = new Set<string>();
  private readonly onAbort: () => void;

  constructor(
    private readonly db: OpenDatabase,
    private readonly tables: readonly StreamTable[],
    private readonly ctx: WriteContext<DuckdbConfig>,
    private readonly maxStagedRows: number,
  ) {
    this.byKey = new Map(tables.map((t) => [t.plan.key, t]));
    this.deferredStreams = new Set(tables.filter((t) => t.plan.truncate).map((t) => t.plan.key));
    // A cancelled run should not wait for a long merge to finish.
    this.onAbort = () => db.connection.interrupt();
    ctx.signal.addEventListener("abort", this.onAbort, { once: true });
  }

  async write(records: readonly AirbyteRecordMessage[]): Promise<void> {
    try {
      for (const record of records) {
        let table = this.last;
        if (
          table === undefined ||
          record.stream !== this.lastName ||
          (record.namespace ?? "") !== this.lastNamespace
        ) {
          table = this.tableFor(record);
          if (table === undefined) continue;
        }
        if (table.needsAppender) await table.openAppender();
        table.appendRecord(record);
        this.staged++;
      }
    } catch (error) {
      throw asConnectorError(error, "DuckDB refused a staged record");
    }
    if (this.staged >= this.maxStagedRows) await this.moveAll();
  }

  /** Moves everything staged into the tables; each move commits, so it is durable on return. */
  async flush(): Promise<void> {
    await this.moveAll();
  }

  async close(result: WriteResult): Promise<void> {
    this.ctx.signal.removeEventListener("abort", this.onAbort);
    const swapped = new Set<string>();
    try {
      if (result.ok) {
        await this.moveAll();
        for (const table of this.tables) await table.mergePending();
        await this.finish(result.completeStreams, swapped);
      }
    } catch (error) {
      this.closeDatabase();
      throw asConnectorError(error, "Cannot finish the sync in DuckDB");
    }
    try {
      await this.dropWorkTables(swapped);
      await this.db.connection.run("CHECKPOINT");
    } catch (error) {
      // Everything that matters is committed; a leftover table or an unmerged WAL is harmless.
      this.ctx.logger.log(
        "WARN",
        `Cleanup after the sync failed: ${error instanceof Error ? error.message : error}`,
      );
    } finally {
      this.closeDatabase();
    }
  }

  private closeDatabase(): void {
    for (const table of this.tables) {
      try {
        table.closeAppender();
      } catch {
        // The connection is about to close; its staging tables go with it.
      }
    }
    this.db.close();
  }

  private tableFor(record: AirbyteRecordMessage): StreamTable | undefined {
    const key = streamKey({ name: record.stream, namespace: record.namespace });
    const table = this.byKey.get(key);
    if (table === undefined) {
      if (!this.unknownStreams.has(key)) {
        this.unknownStreams.add(key);
        this.ctx.logger.log(
          "WARN",
          `Dropping records of stream ${JSON.stringify(record.stream)}: not in the catalog`,
        );
      }
      return undefined;
    }
    this.last = table;
    this.lastName = record.stream;
    this.lastNamespace = record.namespace ?? "";
    return table;
  }

  private async moveAll(): Promise<void> {
    for (const table of this.tables) {
      try {
        await table.moveStaged();
      } catch (error) {
        throw asConnectorError(error, `Cannot write stream ${table.plan.table} to DuckDB`);
      }
    }
    this.staged = 0;
  }

  // Swaps complete overwrites in and drops older generations, all in one transaction.
  private async finish(complete: ReadonlySet<string>, swapped: Set<string>): Promise<void> {
    const statements: string[] = [];
    for (const { plan } of this.tables) {
      const target = qualifiedTable(plan.schema, plan.table);
      if (!complete.has(plan.key)) {
        if (plan.truncate) {
          this.ctx.logger.log("WARN", `Stream ${plan.table} did not complete: ${target} is left as it was`);
        }
        continue;
      }
      if (plan.truncate) {
        statements.push(
          `DROP TABLE IF EXISTS ${target}`,
          `ALTER TABLE ${qualifiedTable(plan.schema, buildAsideName(plan.table))} RENAME TO ${q(plan.table)}`,
        );
        swapped.add(plan.key);
      } else if (plan.minimumGenerationId > 0) {
        statements.push(
          `DELETE FROM ${target} WHERE _airbyte_generation_id IS NULL OR _airbyte_generation_id < ${plan.minimumGenerationId}`,
        );
      }
    }
    if (statements.length > 0) await runInTransaction(this.db.connection, statements);
  }

  // Tables built aside for an overwrite that was not swapped in, and pending tables with nothing left.
  private async dropWorkTables(swapped: ReadonlySet<string>): Promise<void> {
    for (const table of this.tables) {
      const { plan } = table;
      const statements = table.dropEmptyWorkTablesSql();
      if (plan.truncate && !swapped.has(plan.key)) {
        const aside = buildAsideName(plan.table);
        statements.push(
          `DROP TABLE IF EXISTS ${qualifiedTable(plan.schema, pendingName(aside))}`,
          `DROP TABLE IF EXISTS ${qualifiedTable(plan.schema, aside)}`,
        );
      }
      for (const sql of statements) await this.db.connection.run(sql);
    }
  }
}

function asConnectorError(error: unknown, message: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  return systemError(message, error instanceof Error ? error.message : String(error));
}
