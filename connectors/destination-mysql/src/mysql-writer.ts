import {
  ConnectorError,
  type DestinationWriter,
  systemError,
  type WriteContext,
  type WriteResult,
} from "@weir/cdk";
import {
  classifyMysqlError,
  type MysqlConnectSettings,
  type MysqlSession,
  openMysqlSession,
  qualifiedTable,
  resolveConnectSettings,
} from "@weir/mysql-connection";
import { type AirbyteRecordMessage, streamKey } from "@weir/protocol";
import type { DestinationMysqlConfig } from "./destination-spec.js";
import { mysqlName, workTableName } from "./mysql-names.js";
import type { LoadFormat } from "./row-encoder.js";
import { RowLoader } from "./row-loader.js";
import type { StreamTable } from "./stream-table.js";
import { prepareStreamTable } from "./stream-table-setup.js";

/** Sizes and choices of the writer; the defaults suit real syncs, tests make them small or force a format. */
export interface MysqlWriterTuning {
  /** Encoded bytes a stream gathers before handing them to the server. */
  readonly batchBytes: number;
  /** LOAD DATA LOCAL INFILE when the server allows it (local_infile), else multi-row INSERT; or forced. */
  readonly format: LoadFormat | "auto";
}

export const DEFAULT_WRITER_TUNING: MysqlWriterTuning = { batchBytes: 1024 * 1024, format: "auto" };

const SUPPORTED_MODES = new Set(["append", "overwrite", "append_dedup"]);
// Binary and without trailing-space padding, so keys compare exactly as the records have them.
const COLLATIONS = ["utf8mb4_nopad_bin", "utf8mb4_0900_bin", "utf8mb4_bin"];

/**
 * Connects and prepares every configured stream's table.
 * Example: `const writer = await openMysqlWriter(ctx); await writer.write(records); await writer.close(result)`.
 */
export async function openMysqlWriter(
  ctx: WriteContext<DestinationMysqlConfig>,
  tuning: MysqlWriterTuning = DEFAULT_WRITER_TUNING,
): Promise<DestinationWriter> {
  for (const configured of ctx.catalog.streams) {
    if (!SUPPORTED_MODES.has(configured.destination_sync_mode)) {
      throw new ConnectorError(
        "config_error",
        `Stream ${configured.stream.name}: destination sync mode ${configured.destination_sync_mode} is not supported by destination-mysql (append, overwrite, append_dedup)`,
      );
    }
  }
  if (ctx.config.disable_type_dedupe === true) {
    ctx.logger.log("WARN", "disable_type_dedupe is ignored: destination-mysql always writes typed tables");
  }
  const resolved = resolveConnectSettings(ctx.config);
  if (!resolved.ok) throw new ConnectorError("config_error", resolved.message);
  const settings = resolved.value;
  const opened = await openMysqlSession(settings, { role: "destination", logger: ctx.logger });
  if (!opened.ok) throw opened.error;
  const session = opened.session;
  try {
    const loader = await createLoader(session, tuning);
    const collation = await binaryCollation(session);
    const tables: StreamTable[] = [];
    for (const [index, configured] of ctx.catalog.streams.entries()) {
      tables.push(
        await prepareStreamTable(
          {
            session,
            loader,
            defaultDatabase: mysqlName(settings.database),
            collation,
            batchBytes: tuning.batchBytes,
            logger: ctx.logger,
          },
          configured,
          index,
        ),
      );
    }
    ctx.logger.log(
      "INFO",
      `Writing ${tables.length} stream(s) to ${settings.host}:${settings.port} with ${loader.format === "load_data" ? "LOAD DATA LOCAL INFILE" : "multi-row INSERT"}`,
    );
    return new MysqlWriter(session, loader, tables, ctx, settings);
  } catch (error) {
    await session.close();
    throw classifyMysqlError(error, "Preparing the tables", settings);
  }
}

async function createLoader(session: MysqlSession, tuning: MysqlWriterTuning): Promise<RowLoader> {
  const [row] = await session.query<{ local_files: number | string; packet: number | string }>(
    "SELECT @@local_infile AS local_files, @@max_allowed_packet AS packet",
  );
  const format: LoadFormat =
    tuning.format !== "auto" ? tuning.format : Number(row?.local_files) === 1 ? "load_data" : "insert";
  const packet = Number(row?.packet ?? 4 * 1024 * 1024);
  return new RowLoader(session, format, Math.max(64 * 1024, Math.min(packet - 64 * 1024, 16 * 1024 * 1024)));
}

async function binaryCollation(session: MysqlSession): Promise<string> {
  const rows = await session.query<{ c: string }>(
    `SELECT COLLATION_NAME AS c FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN (${COLLATIONS.map(() => "?").join(", ")})`,
    COLLATIONS,
  );
  const available = new Set(rows.map((r) => r.c));
  return COLLATIONS.find((c) => available.has(c)) ?? "utf8mb4_bin";
}

class MysqlWriter implements DestinationWriter {
  readonly deferredStreams: ReadonlySet<string>;
  readonly #byKey: Map<string, StreamTable>;
  readonly #unknownStreams = new Set<string>();
  readonly #onAbort: () => void;
  #last: StreamTable | undefined;
  #lastName = "";
  #lastNamespace = "";

  constructor(
    private readonly session: MysqlSession,
    private readonly loader: RowLoader,
    private readonly tables: readonly StreamTable[],
    private readonly ctx: WriteContext<DestinationMysqlConfig>,
    private readonly settings: MysqlConnectSettings,
  ) {
    this.#byKey = new Map(tables.map((t) => [t.plan.key, t]));
    this.deferredStreams = new Set(tables.filter((t) => t.plan.truncate).map((t) => t.plan.key));
    // A cancelled run should not wait for a long load or merge to finish.
    this.#onAbort = () => session.connection.destroy();
    ctx.signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  async write(records: readonly AirbyteRecordMessage[]): Promise<void> {
    try {
      for (const record of records) {
        let table = this.#last;
        if (
          table === undefined ||
          record.stream !== this.#lastName ||
          (record.namespace ?? "") !== this.#lastNamespace
        ) {
          table = this.#tableFor(record);
          if (table === undefined) continue;
        }
        if (table.append(record)) await table.sendBuffered();
      }
    } catch (error) {
      throw this.#classify(error, "Loading records");
    }
  }

  /** Loads everything buffered and merges dedup stages; every statement commits, so it is durable on return. */
  async flush(): Promise<void> {
    try {
      for (const table of this.tables) await table.flush();
    } catch (error) {
      throw this.#classify(error, "Committing records");
    }
  }

  async close(result: WriteResult): Promise<void> {
    this.ctx.signal.removeEventListener("abort", this.#onAbort);
    const swapped = new Set<string>();
    try {
      if (result.ok) {
        await this.flush();
        await this.#finish(result.completeStreams, swapped);
      } else {
        // Ending the open load commits its rows: harmless, as their states were not echoed (an
        // append may see them again on the retry), and the session is then free for the cleanup.
        await this.loader.finish().catch(() => undefined);
      }
      await this.#dropWorkTables(swapped);
    } catch (error) {
      throw this.#classify(error, "Finishing the sync");
    } finally {
      await this.session.close();
    }
  }

  #tableFor(record: AirbyteRecordMessage): StreamTable | undefined {
    const key = streamKey({ name: record.stream, namespace: record.namespace });
    const table = this.#byKey.get(key);
    if (table === undefined) {
      if (!this.#unknownStreams.has(key)) {
        this.#unknownStreams.add(key);
        this.ctx.logger.log(
          "WARN",
          `Dropping records of stream ${JSON.stringify(record.stream)}: not in the catalog`,
        );
      }
      return undefined;
    }
    this.#last = table;
    this.#lastName = record.stream;
    this.#lastNamespace = record.namespace ?? "";
    return table;
  }

  // Swaps complete overwrites in (RENAME TABLE of both is atomic: readers see the old table or the
  // new one, never none) and drops older generations of complete refreshes.
  async #finish(complete: ReadonlySet<string>, swapped: Set<string>): Promise<void> {
    for (const table of this.tables) {
      const { plan } = table;
      if (!complete.has(plan.key)) {
        if (plan.truncate) {
          this.ctx.logger.log(
            "WARN",
            `Stream ${plan.table} did not complete: ${table.target} is left as it was`,
          );
        }
        continue;
      }
      if (plan.truncate) {
        const old = qualifiedTable(plan.database, workTableName("old", plan.table));
        const exists = await this.session.query(
          "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? LIMIT 1",
          [plan.database, plan.table],
        );
        if (exists.length > 0) {
          await this.session.query(
            `RENAME TABLE ${table.target} TO ${old}, ${table.aside} TO ${table.target}`,
          );
          await this.session.query(`DROP TABLE ${old}`);
        } else {
          await this.session.query(`RENAME TABLE ${table.aside} TO ${table.target}`);
        }
        swapped.add(plan.key);
      } else if (plan.minimumGenerationId > 0) {
        await this.session.query(
          `DELETE FROM ${table.target} WHERE _airbyte_generation_id IS NULL OR _airbyte_generation_id < ?`,
          [plan.minimumGenerationId],
        );
      }
    }
  }

  // Tables built aside for an overwrite that was not swapped in.
  async #dropWorkTables(swapped: ReadonlySet<string>): Promise<void> {
    for (const table of this.tables) {
      if (!table.plan.truncate || swapped.has(table.plan.key)) continue;
      try {
        await this.session.query(`DROP TABLE IF EXISTS ${table.aside}`);
      } catch (error) {
        this.ctx.logger.log(
          "WARN",
          `Could not drop ${table.aside}: ${error instanceof Error ? error.message : error}`,
        );
      }
    }
  }

  #classify(error: unknown, doing: string): ConnectorError {
    if (error instanceof ConnectorError) return error;
    if (this.ctx.signal.aborted) return systemError(`${doing}: the write was cancelled`);
    return classifyMysqlError(error, doing, this.settings);
  }
}
