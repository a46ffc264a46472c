import {
  ConnectorError,
  configError,
  type DestinationWriter,
  type WriteContext,
  type WriteResult,
} from "@weir/cdk";
import {
  classifyQueryError,
  connectPostgres,
  qualifiedName,
  quoteIdentifier,
} from "@weir/postgres-connection";
import { type AirbyteRecordMessage, streamKey } from "@weir/protocol";
import type pg from "pg";
import { DEFAULT_SCHEMA, type DestinationPostgresConfig } from "./destination-postgres-spec.js";
import { StreamCopy } from "./stream-copy.js";
import { asideName, prepareStreamTable } from "./stream-table-setup.js";

/** Batch sizes of the writer; the defaults suit real syncs, tests make them small. */
export interface PostgresWriterTuning {
  /** Records (all streams) held before they are copied, committed or not. */
  readonly maxPendingRecords: number;
  /** About this many bytes of string values held before they are copied. */
  readonly maxPendingBytes: number;
}

export const DEFAULT_WRITER_TUNING: PostgresWriterTuning = {
  maxPendingRecords: 20_000,
  maxPendingBytes: 16 << 20,
};

const SUPPORTED_MODES = new Set(["append", "overwrite", "append_dedup"]);

/** Session settings of the writer: timestamps without an offset are UTC. */
export const DESTINATION_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: "ISO",
  TimeZone: "UTC",
  IntervalStyle: "iso_8601",
};

export const APPLICATION_NAME = "weir-destination-postgres";

/**
 * Opens a connection and prepares every configured stream's table.
 * Example: `const writer = await openPostgresWriter(ctx); await writer.write(records); await writer.close(result)`.
 */
export async function openPostgresWriter(
  ctx: WriteContext<DestinationPostgresConfig>,
  tuning: PostgresWriterTuning = DEFAULT_WRITER_TUNING,
): Promise<DestinationWriter> {
  for (const configured of ctx.catalog.streams) {
    if (!SUPPORTED_MODES.has(configured.destination_sync_mode)) {
      throw configError(
        `Stream ${configured.stream.name}: destination sync mode ${configured.destination_sync_mode} is not supported by destination-postgres (append, overwrite, append_dedup)`,
      );
    }
  }
  const connected = await connectPostgres(ctx.config, {
    applicationName: APPLICATION_NAME,
    settings: DESTINATION_SESSION_SETTINGS,
  });
  if (!connected.ok) throw connected.error;
  const client = connected.client;
  const schema = ctx.config.schema || DEFAULT_SCHEMA;
  const copies: StreamCopy[] = [];
  try {
    const version = await client.query<{ server_version_num: string }>("SHOW server_version_num");
    const serverVersion = Number(version.rows[0]?.server_version_num ?? 0);
    for (const [index, configured] of ctx.catalog.streams.entries()) {
      const table = await prepareStreamTable(client, configured, schema, index, serverVersion);
      if (table.addedColumns.length > 0) {
        ctx.logger.log(
          "INFO",
          `Added columns ${table.addedColumns.map((c) => JSON.stringify(c)).join(", ")} to ${qualifiedName(table.schema, table.table)}`,
        );
      }
      if (table.widened) {
        ctx.logger.log(
          "WARN",
          `${qualifiedName(table.schema, table.table)} has too many fixed-width columns for bigint: its integer columns are numeric`,
        );
      }
      copies.push(new StreamCopy(client, table));
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw classifyQueryError(error, "Preparing the destination tables failed");
  }
  return new PostgresWriter(client, copies, ctx, tuning);
}

interface Pending {
  readonly copy: StreamCopy;
  records: AirbyteRecordMessage[];
  /** Rows copied into the dedup stage since the last merge. */
  staged: number;
}

class PostgresWriter implements DestinationWriter {
  readonly deferredStreams: ReadonlySet<string>;
  readonly #byKey: Map<string, Pending>;
  #pendingRecords = 0;
  #pendingBytes = 0;
  #inTransaction = false;

  constructor(
    private readonly client: pg.Client,
    private readonly copies: readonly StreamCopy[],
    private readonly ctx: WriteContext<DestinationPostgresConfig>,
    private readonly tuning: PostgresWriterTuning,
  ) {
    this.#byKey = new Map(copies.map((copy) => [copy.table.key, { copy, records: [], staged: 0 }]));
    this.deferredStreams = new Set(copies.filter((c) => c.table.truncate).map((c) => c.table.key));
  }

  async write(records: readonly AirbyteRecordMessage[]): Promise<void> {
    let pending: Pending | undefined;
    let pendingKey = "";
    for (const record of records) {
      const key = streamKey({ name: record.stream, namespace: record.namespace });
      if (pending === undefined || key !== pendingKey) {
        pending = this.#byKey.get(key);
        pendingKey = key;
        if (pending === undefined) continue;
      }
      pending.records.push(record);
      this.#pendingBytes += approximateBytes(record.data as Record<string, unknown>);
    }
    this.#pendingRecords += records.length;
    if (
      this.#pendingRecords >= this.tuning.maxPendingRecords ||
      this.#pendingBytes >= this.tuning.maxPendingBytes
    ) {
      await this.#copyPending();
    }
  }

  /** Copies what waits, merges dedup stages and commits: everything written so far is durable on return. */
  async flush(): Promise<void> {
    await this.#copyPending();
    await this.#mergeStaged();
    if (this.#inTransaction) {
      await this.#query("COMMIT", "Committing");
      this.#inTransaction = false;
    }
  }

  async close(result: WriteResult): Promise<void> {
    const swapped = new Set<string>();
    try {
      if (result.ok) {
        await this.flush();
        await this.#finish(result.completeStreams, swapped);
      } else if (this.#inTransaction) {
        // Uncommitted rows have no echoed state: dropping them loses nothing the platform counts on.
        await this.client.query("ROLLBACK").catch(() => {});
        this.#inTransaction = false;
      }
      await this.#dropUnswapped(swapped);
    } finally {
      await this.client.end().catch(() => {});
    }
  }

  async #copyPending(): Promise<void> {
    if (this.#pendingRecords === 0) return;
    for (const pending of this.#byKey.values()) {
      if (pending.records.length === 0) continue;
      await this.#begin();
      const records = pending.records;
      pending.records = [];
      await pending.copy.copy(records);
      if (pending.copy.table.mergeSql !== undefined) pending.staged += records.length;
    }
    this.#pendingRecords = 0;
    this.#pendingBytes = 0;
  }

  async #mergeStaged(): Promise<void> {
    for (const pending of this.#byKey.values()) {
      const merge = pending.copy.table.mergeSql;
      if (merge === undefined || pending.staged === 0) continue;
      for (const sql of merge)
        await this.#query(sql, `Merging stream ${JSON.stringify(pending.copy.table.table)}`);
      pending.staged = 0;
    }
  }

  async #begin(): Promise<void> {
    if (this.#inTransaction) return;
    await this.#query("BEGIN", "Starting a transaction");
    this.#inTransaction = true;
  }

  async #query(sql: string, doing: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      throw classifyQueryError(error, `${doing} failed`);
    }
  }

  // Swaps in complete overwrites and drops older generations, all in one transaction: readers
  // see the old table until the commit and the new one after it, never an empty one.
  async #finish(complete: ReadonlySet<string>, swapped: Set<string>): Promise<void> {
    const statements: string[] = [];
    const cascade = this.ctx.config.drop_cascade === true ? " CASCADE" : "";
    for (const { table } of this.copies) {
      const target = qualifiedName(table.schema, table.table);
      if (!complete.has(table.key)) {
        if (table.truncate)
          this.ctx.logger.log("WARN", `Stream ${table.table} did not complete: ${target} is left as it was`);
        continue;
      }
      if (table.truncate) {
        statements.push(
          `DROP TABLE IF EXISTS ${target}${cascade}`,
          `ALTER TABLE ${qualifiedName(table.schema, table.writeTable)} RENAME TO ${quoteIdentifier(table.table)}`,
        );
        swapped.add(table.key);
      } else if (table.minimumGenerationId > 0) {
        statements.push(
          `DELETE FROM ${target} WHERE _airbyte_generation_id IS NULL OR _airbyte_generation_id < ${table.minimumGenerationId}`,
        );
      }
    }
    if (statements.length === 0) return;
    try {
      await this.client.query(`BEGIN;\n${statements.join(";\n")};\nCOMMIT`);
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => {});
      swapped.clear();
      const failure = classifyQueryError(
        error,
        "Swapping in the new tables failed; the old tables are unchanged",
      );
      if ((error as { code?: string }).code === "2BP01") {
        throw new ConnectorError(
          "config_error",
          `${failure.message}. Other objects (views) depend on the old table: drop them, or set drop_cascade to drop them with it`,
          failure.internalMessage,
        );
      }
      throw failure;
    }
  }

  // Tables built aside that were not swapped in (failed or incomplete overwrites).
  async #dropUnswapped(swapped: ReadonlySet<string>): Promise<void> {
    for (const { table } of this.copies) {
      if (!table.truncate || swapped.has(table.key)) continue;
      await this.client
        .query(`DROP TABLE IF EXISTS ${qualifiedName(table.schema, asideName(table.table))}`)
        .catch((error: unknown) =>
          this.ctx.logger.log("WARN", `Could not drop ${table.writeTable}: ${(error as Error).message}`),
        );
    }
  }
}

// A cheap size estimate that bounds memory: string lengths, and a little for everything else.
function approximateBytes(data: Record<string, unknown>): number {
  let bytes = 0;
  for (const key in data) {
    const value = data[key];
    bytes += typeof value === "string" ? value.length + 4 : 12;
  }
  return bytes;
}
