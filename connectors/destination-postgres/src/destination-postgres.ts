import { randomBytes } from "node:crypto";
import {
  type CheckResult,
  type ConnectorContext,
  type DestinationConnector,
  defineDestination,
} from "@weir/cdk";
import {
  classifyQueryError,
  connectPostgres,
  qualifiedName,
  quoteIdentifier,
} from "@weir/postgres-connection";
import {
  DEFAULT_SCHEMA,
  type DestinationPostgresConfig,
  destinationPostgresSpec,
} from "./destination-postgres-spec.js";
import {
  APPLICATION_NAME,
  DEFAULT_WRITER_TUNING,
  DESTINATION_SESSION_SETTINGS,
  openPostgresWriter,
  type PostgresWriterTuning,
} from "./postgres-writer.js";

/**
 * Connects, then creates the schema if needed and a probe table in it, writes a row with COPY
 * and drops it. Example: `await checkPostgres(ctx)` is `{ ok: false, message: "Authentication failed…" }` for a wrong password.
 */
async function checkPostgres(ctx: ConnectorContext<DestinationPostgresConfig>): Promise<CheckResult> {
  const connected = await connectPostgres(ctx.config, {
    applicationName: APPLICATION_NAME,
    settings: DESTINATION_SESSION_SETTINGS,
  });
  if (!connected.ok) return { ok: false, message: connected.error.message };
  const client = connected.client;
  const schema = ctx.config.schema || DEFAULT_SCHEMA;
  const probe = qualifiedName(schema, `_weir_check_${randomBytes(6).toString("hex")}`);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(`CREATE TABLE ${probe} (id integer)`);
    await client.query(`INSERT INTO ${probe} VALUES (1)`);
    await client.query(`DROP TABLE ${probe}`);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: classifyQueryError(error, `Cannot write to schema "${schema}"`).message };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A destination-postgres with other batch sizes (tests make them tiny).
 * Example: `createDestinationPostgres({ maxPendingRecords: 3, maxPendingBytes: 1 << 20 })`.
 */
export function createDestinationPostgres(
  tuning: PostgresWriterTuning = DEFAULT_WRITER_TUNING,
): DestinationConnector<DestinationPostgresConfig> {
  return defineDestination<DestinationPostgresConfig>({
    name: "destination-postgres",
    version: "0.1.0",
    spec: destinationPostgresSpec,
    check: checkPostgres,
    open: (ctx) => openPostgresWriter(ctx, tuning),
  });
}

/**
 * Writes streams into typed Postgres tables with COPY: append, overwrite (built aside, swapped
 * in), append_dedup (staged, one upsert). Example config:
 * `{ "host": "localhost", "port": 5432, "database": "warehouse", "schema": "public", "username": "weir", "password": "…" }`.
 */
export const destinationPostgres = createDestinationPostgres();
