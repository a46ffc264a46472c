import {
  type CheckResult,
  type ConnectorContext,
  defineSource,
  type SourceConnector,
  type StreamDefinition,
} from "@weir/cdk";
import { classifyQueryError, connectPostgres } from "@weir/postgres-connection";
import { DEFAULT_READ_TUNING, type ReadTuning } from "./read-plans.js";
import { type SourcePostgresConfig, sourcePostgresSpec, sourceSettings } from "./source-postgres-spec.js";
import { readStream, SOURCE_SESSION_SETTINGS } from "./stream-read.js";
import { listTables, loadTypes, type SourceTable, tableJsonSchema } from "./table-catalog.js";

const NAME = "source-postgres";
const VERSION = "0.1.0";
const APPLICATION_NAME = "weir-source-postgres";

async function discoverTables(ctx: ConnectorContext<SourcePostgresConfig>): Promise<SourceTable[]> {
  const settings = sourceSettings(ctx.config);
  if (!settings.ok) throw settings.error;
  const connected = await connectPostgres(ctx.config, {
    applicationName: APPLICATION_NAME,
    settings: SOURCE_SESSION_SETTINGS,
  });
  if (!connected.ok) throw connected.error;
  const client = connected.client;
  try {
    const types = await loadTypes(client);
    return await listTables(client, settings.schemas, types);
  } catch (error) {
    throw classifyQueryError(error, "Listing the tables failed");
  } finally {
    await client.end().catch(() => {});
  }
}

// Compared without case and underscores: updated_at, updatedAt, UPDATED_AT…
const CURSOR_NAMES = ["updatedat", "modifiedat", "lastmodified"];
const CURSOR_JSON_TYPES = new Set(["integer", "number", "string"]);

/**
 * A suggested cursor (the configured catalog may name any column): a column named like
 * updated_at, else a one-column primary key. Arrays, JSON and binary columns never qualify.
 */
export function suggestedCursor(table: SourceTable): string | undefined {
  const usable = table.columns.filter((c) => {
    const schema = c.codec.schema;
    return CURSOR_JSON_TYPES.has(String(schema.type)) && !schema.contentMediaType && !schema.contentEncoding;
  });
  const named = usable.find((c) => CURSOR_NAMES.includes(c.name.toLowerCase().replaceAll("_", "")));
  if (named !== undefined) return named.name;
  const [key] = table.primaryKey;
  return table.primaryKey.length === 1 && usable.some((c) => c.name === key) ? key : undefined;
}

function streamOf(table: SourceTable, tuning: ReadTuning): StreamDefinition<SourcePostgresConfig> {
  const resumable = table.primaryKey.length > 0 || table.kind === "r" || table.kind === "m";
  const cursor = suggestedCursor(table);
  return {
    name: table.name,
    namespace: table.schema,
    jsonSchema: tableJsonSchema(table.columns),
    supportedSyncModes: ["full_refresh", "incremental"],
    primaryKey: table.primaryKey.map((column) => [column]),
    sourceDefinedCursor: false,
    ...(cursor === undefined ? {} : { defaultCursorField: [cursor] }),
    isResumable: resumable,
    estimate: (ctx) =>
      ctx.syncMode === "full_refresh" && table.estimatedRows >= 0
        ? { rows: Math.round(table.estimatedRows), bytes: table.pages * 8192 }
        : undefined,
    read: (ctx) => readStream(ctx, table, tuning, APPLICATION_NAME),
  };
}

async function checkPostgres(ctx: ConnectorContext<SourcePostgresConfig>): Promise<CheckResult> {
  const settings = sourceSettings(ctx.config);
  if (!settings.ok) return { ok: false, message: settings.error.message };
  const connected = await connectPostgres(ctx.config, {
    applicationName: APPLICATION_NAME,
    settings: SOURCE_SESSION_SETTINGS,
  });
  if (!connected.ok) return { ok: false, message: connected.error.message };
  const client = connected.client;
  try {
    const found = await client.query<{ name: string }>(
      "SELECT nspname AS name FROM pg_catalog.pg_namespace WHERE nspname = ANY($1::text[])",
      [settings.schemas],
    );
    const present = new Set(found.rows.map((row) => row.name));
    const missing = settings.schemas.filter((schema) => !present.has(schema));
    if (missing.length > 0) {
      return {
        ok: false,
        message: `schemas: ${missing.map((s) => `"${s}"`).join(", ")} not found in database "${ctx.config.database}"`,
      };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, message: classifyQueryError(error, "Checking the database failed").message };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A source-postgres with other read sizes (tests use tiny chunks to cross chunk boundaries).
 * Example: `createSourcePostgres({ ...DEFAULT_READ_TUNING, chunkRows: 10 })`.
 */
export function createSourcePostgres(
  tuning: ReadTuning = DEFAULT_READ_TUNING,
): SourceConnector<SourcePostgresConfig> {
  return defineSource<SourcePostgresConfig>({
    name: NAME,
    version: VERSION,
    spec: sourcePostgresSpec,
    checkpointEvery: 10_000,
    check: checkPostgres,
    streams: async (ctx) => (await discoverTables(ctx)).map((table) => streamOf(table, tuning)),
  });
}

/**
 * Reads Postgres tables and views with COPY: full refresh in resumable key or page chunks,
 * incremental by a cursor column. Example config:
 * `{ "host": "localhost", "port": 5432, "database": "app", "username": "weir", "password": "…", "schemas": ["public"] }`.
 */
export const sourcePostgres = createSourcePostgres();
