import {
  type CheckResult,
  type ConnectorContext,
  configError,
  defineSource,
  type SourceConnector,
  type StreamDefinition,
} from "@weir/cdk";
import {
  classifyMysqlError,
  type MysqlConnectSettings,
  type MysqlSession,
  openMysqlSession,
  resolveConnectSettings,
} from "@weir/mysql-connection";
import { columnTypeFor } from "./column-types.js";
import { planRead } from "./read-plan.js";
import { type SourceMysqlConfig, sourceMysqlSpec } from "./source-spec.js";
import { discoverTables, type TableInfo } from "./table-discovery.js";
import { DEFAULT_READ_TUNING, type ReadTuning, readTable } from "./table-reader.js";

type Context = ConnectorContext<SourceMysqlConfig>;

function settingsOf(config: SourceMysqlConfig): MysqlConnectSettings {
  const method = config.replication_method?.method ?? "STANDARD";
  if (method === "CDC") {
    throw configError(
      "config.replication_method: CDC (binary log) is not supported yet by Weir's source-mysql; use STANDARD (a cursor column per stream)",
    );
  }
  if (method !== "STANDARD") {
    throw configError(
      `config.replication_method.method: must be STANDARD or CDC, got ${JSON.stringify(method)}`,
    );
  }
  const resolved = resolveConnectSettings(config);
  if (!resolved.ok) throw configError(resolved.message);
  return resolved.value;
}

async function openSession(ctx: Context): Promise<MysqlSession> {
  const opened = await openMysqlSession(settingsOf(ctx.config), { role: "source", logger: ctx.logger });
  if (!opened.ok) throw opened.error;
  return opened.session;
}

async function withSession<T>(ctx: Context, use: (session: MysqlSession) => Promise<T>): Promise<T> {
  const session = await openSession(ctx);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

async function check(ctx: Context): Promise<CheckResult> {
  try {
    await withSession(ctx, async (session) => {
      try {
        await session.query(
          "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? LIMIT 1",
          [ctx.config.database],
        );
      } catch (error) {
        throw classifyMysqlError(error, "Listing the tables", session.settings);
      }
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

// Compared without case and underscores: updated_at, updatedAt, UPDATED_AT…
const CURSOR_NAMES = ["updatedat", "modifiedat", "lastmodified"];

/**
 * A suggested cursor (the configured catalog may name any column), as source-postgres suggests
 * one: a column named like updated_at, else a one-column primary key; only columns that can order.
 * Example: `suggestedCursor(table) // "updated_at"`.
 */
export function suggestedCursor(table: TableInfo, tinyint1AsInteger = false): string | undefined {
  const usable = table.columns.filter((c) => {
    const type = columnTypeFor(c, tinyint1AsInteger);
    return type.literal !== undefined && type.notCursor === undefined && type.kind !== "binary";
  });
  const named = usable.find((c) => CURSOR_NAMES.includes(c.name.toLowerCase().replaceAll("_", "")));
  if (named !== undefined) return named.name;
  const [key] = table.primaryKey;
  return table.primaryKey.length === 1 && usable.some((c) => c.name === key) ? key : undefined;
}

function streamOf(
  table: TableInfo,
  config: SourceMysqlConfig,
  tuning: ReadTuning,
): StreamDefinition<SourceMysqlConfig> {
  const tinyint1AsInteger = config.treat_tinyint1_as_integer === true;
  // fromEntries makes own properties, also of a column named __proto__.
  const properties = Object.fromEntries(
    table.columns.map((column) => [column.name, columnTypeFor(column, tinyint1AsInteger).jsonSchema]),
  );
  const keyed = table.primaryKey.length > 0;
  const cursor = suggestedCursor(table, tinyint1AsInteger);
  return {
    name: table.name,
    namespace: config.database,
    jsonSchema: { $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties },
    supportedSyncModes: ["full_refresh", "incremental"],
    ...(keyed ? { primaryKey: table.primaryKey.map((c) => [c]) } : {}),
    sourceDefinedCursor: false,
    ...(cursor === undefined ? {} : { defaultCursorField: [cursor] }),
    isResumable: keyed,
    estimate: ({ syncMode, state }) => {
      // The table's size is what a first read moves; later incremental reads move less.
      if (syncMode === "incremental" && state != null) return undefined;
      if (table.estimatedRows === null) return undefined;
      return {
        rows: table.estimatedRows,
        ...(table.estimatedBytes === null ? {} : { bytes: table.estimatedBytes }),
      };
    },
    async *read(ctx) {
      const plan = planRead({
        table,
        configured: ctx.configured,
        syncMode: ctx.syncMode,
        cursorField: ctx.cursorField,
        state: ctx.state,
        tinyint1AsInteger,
        logger: ctx.logger,
      });
      const session = await openSession(ctx);
      let finished = false;
      try {
        yield* readTable({
          session,
          database: config.database,
          table: table.name,
          plan,
          tuning,
          logger: ctx.logger,
        });
        finished = true;
      } finally {
        // A read stopped early leaves the server sending rows: only dropping the connection ends that.
        if (finished) await session.close();
        else session.connection.destroy();
      }
    },
  };
}

/**
 * Builds the source with its read sizes; `sourceMysql` uses the defaults.
 * Example: `createSourceMysql({ chunkRows: 10, batchRows: 3 })` for a test that crosses chunks.
 */
export function createSourceMysql(
  tuning: ReadTuning = DEFAULT_READ_TUNING,
): SourceConnector<SourceMysqlConfig> {
  return defineSource<SourceMysqlConfig>({
    name: "source-mysql",
    version: "0.1.0",
    spec: sourceMysqlSpec,
    checkpointEvery: 10_000,
    check,
    streams: async (ctx) => {
      const tables = await withSession(ctx, async (session) => {
        try {
          return await discoverTables(session, ctx.config.database, ctx.config.table_filters ?? []);
        } catch (error) {
          throw classifyMysqlError(error, "Discovering the tables", session.settings);
        }
      });
      return tables.map((table) => streamOf(table, ctx.config, tuning));
    },
  });
}

/**
 * Reads the tables and views of one MySQL or MariaDB database: full refresh in primary-key
 * chunks, incremental by a cursor column. Example: `await runEntrypoint(sourceMysql)`.
 */
export const sourceMysql = createSourceMysql();
