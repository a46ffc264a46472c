import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type Json } from "@duckdb/node-api";
import type { DestinationWriter, WriteContext } from "@weir/cdk";
import type {
  AirbyteRecordMessage,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  DestinationSyncMode,
  LogLevel,
} from "@weir/protocol";
import type { DuckdbConfig } from "./config.js";
import { DEFAULT_TUNING, type DuckdbWriterTuning, openDuckdbWriter } from "./duckdb-writer.js";

/** Options of a configured stream in tests. */
export interface TestStreamOptions {
  readonly mode?: DestinationSyncMode;
  readonly namespace?: string;
  readonly primaryKey?: string[][];
  readonly cursor?: string[];
  readonly generationId?: number;
  readonly minimumGenerationId?: number;
  readonly syncId?: number;
}

/** A configured stream with the given top-level properties. Example: `testStream("users", { id: { type: "integer" } })`. */
export function testStream(
  name: string,
  properties: Record<string, unknown> | undefined,
  options: TestStreamOptions = {},
): ConfiguredAirbyteStream {
  const stream: ConfiguredAirbyteStream["stream"] = {
    name,
    json_schema: properties === undefined ? { type: "object" } : { type: "object", properties },
    supported_sync_modes: ["full_refresh", "incremental"],
  };
  if (options.namespace !== undefined) stream.namespace = options.namespace;
  const configured: ConfiguredAirbyteStream = {
    stream,
    sync_mode: options.mode === "append_dedup" ? "incremental" : "full_refresh",
    destination_sync_mode: options.mode ?? "append",
  };
  if (options.primaryKey !== undefined) configured.primary_key = options.primaryKey;
  if (options.cursor !== undefined) configured.cursor_field = options.cursor;
  if (options.generationId !== undefined) configured.generation_id = options.generationId;
  if (options.minimumGenerationId !== undefined)
    configured.minimum_generation_id = options.minimumGenerationId;
  if (options.syncId !== undefined) configured.sync_id = options.syncId;
  return configured;
}

/** A record of `stream`. Example: `testRecord("users", { id: 1 }, { emittedAt: 1000 })`. */
export function testRecord(
  stream: string,
  data: Record<string, unknown>,
  options: { emittedAt?: number; namespace?: string; meta?: AirbyteRecordMessage["meta"] } = {},
): AirbyteRecordMessage {
  const record: AirbyteRecordMessage = { stream, data, emitted_at: options.emittedAt ?? 1_700_000_000_000 };
  if (options.namespace !== undefined) record.namespace = options.namespace;
  if (options.meta !== undefined) record.meta = options.meta;
  return record;
}

/** A temp dir with a DuckDB path, writers opened on it, and queries against it. */
export class DuckdbTestSession {
  readonly dir = mkdtempSync(join(tmpdir(), "weir-duckdb-test-"));
  readonly path = join(this.dir, "test.duckdb");
  readonly config: DuckdbConfig = { destination_path: this.path };
  readonly logs: { level: LogLevel; message: string }[] = [];

  /** Opens a writer for `streams` directly, as the CDK would. */
  open(
    streams: readonly ConfiguredAirbyteStream[],
    options: {
      signal?: AbortSignal;
      tuning?: Partial<DuckdbWriterTuning>;
      config?: Partial<DuckdbConfig>;
    } = {},
  ): Promise<DestinationWriter> {
    const catalog: ConfiguredAirbyteCatalog = { streams: [...streams] };
    const ctx: WriteContext<DuckdbConfig> = {
      config: { ...this.config, ...options.config },
      catalog,
      logger: { log: (level, message) => this.logs.push({ level, message }) },
      signal: options.signal ?? new AbortController().signal,
    };
    return openDuckdbWriter(ctx, { ...DEFAULT_TUNING, ...options.tuning });
  }

  /**
   * One whole write run: each batch is written then flushed, and the writer is closed with `ok`
   * and every stream complete unless `complete` names the complete ones.
   */
  async run(
    streams: readonly ConfiguredAirbyteStream[],
    batches: readonly (readonly AirbyteRecordMessage[])[],
    options: { ok?: boolean; complete?: readonly string[]; tuning?: Partial<DuckdbWriterTuning> } = {},
  ): Promise<void> {
    const writer = await this.open(streams, options.tuning === undefined ? {} : { tuning: options.tuning });
    for (const batch of batches) {
      await writer.write(batch);
      await writer.flush();
    }
    const complete = options.complete ?? streams.map((s) => s.stream.name);
    await writer.close({ ok: options.ok ?? true, completeStreams: new Set(complete) });
  }

  /** Rows of a query as JSON objects (BIGINTs and timestamps as strings), on a fresh connection. */
  async query(sql: string, path: string = this.path): Promise<Record<string, Json>[]> {
    // From the process's instance cache: while a writer has the file open, this is a second
    // connection to the same database, as DuckDB allows no second instance on a file.
    const instance = await DuckDBInstance.fromCache(path);
    try {
      const connection = await instance.connect();
      try {
        await connection.run("SET TimeZone = 'UTC'");
        return (await connection.runAndReadAll(sql)).getRowObjectsJson();
      } finally {
        connection.closeSync();
      }
    } finally {
      instance.closeSync();
    }
  }

  /** The tables of the file, as `schema.table`, sorted. */
  async tables(path: string = this.path): Promise<string[]> {
    const rows = await this.query(
      "SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() WHERE database_name = current_database() ORDER BY t",
      path,
    );
    return rows.map((row) => String(row.t));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
