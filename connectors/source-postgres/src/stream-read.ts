import { ConnectorError, configError, type StreamChunk, type StreamReadContext } from "@weir/cdk";
import { classifyQueryError, connectPostgres, qualifiedName, sqlState } from "@weir/postgres-connection";
import type pg from "pg";
import {
  type ReadTuning,
  readByCursor,
  readByKey,
  readByPages,
  readWhole,
  type TableRead,
  TableRewritten,
} from "./read-plans.js";
import type { SourcePostgresConfig } from "./source-postgres-spec.js";
import { cursorStart, fullRefreshStart } from "./stream-state.js";
import type { SourceTable, TableColumn } from "./table-catalog.js";

/** Session settings every source connection runs with: the text forms the codecs expect. */
export const SOURCE_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: "ISO",
  TimeZone: "UTC",
  IntervalStyle: "iso_8601",
  extra_float_digits: "3",
  bytea_output: "hex",
  default_transaction_read_only: "on",
};

const typeOf = (schema: unknown): unknown => {
  const type = (schema as { type?: unknown } | undefined)?.type;
  return Array.isArray(type) ? type.filter((t) => t !== "null")[0] : type;
};

/**
 * The columns to read: those of the configured schema (all when it lists none), plus the key
 * and cursor columns state needs. A configured column that is gone, or whose JSON type changed,
 * means the table changed since discovery: a config error asking for a schema refresh.
 */
export function selectColumns(
  table: SourceTable,
  configuredSchema: Record<string, unknown>,
  required: readonly string[],
): TableColumn[] {
  const name = qualifiedName(table.schema, table.name);
  const properties = configuredSchema.properties as Record<string, unknown> | undefined;
  if (properties === undefined || Object.keys(properties).length === 0) return [...table.columns];
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  for (const [field, schema] of Object.entries(properties)) {
    const column = byName.get(field);
    if (column === undefined) {
      throw configError(
        `Column "${field}" of ${name} no longer exists (the table changed since the catalog was discovered): refresh the source schema`,
      );
    }
    const wanted = typeOf(schema);
    const actual = column.codec.schema.type;
    if (wanted !== undefined && wanted !== actual) {
      throw configError(
        `Column "${field}" of ${name} is now ${column.sqlType} (JSON ${String(actual)}) but the configured catalog says ${String(wanted)}: refresh the source schema`,
      );
    }
  }
  return table.columns.filter((c) => Object.hasOwn(properties, c.name) || required.includes(c.name));
}

/** Reads one stream on its own connection, as the sync mode and the table's keys allow. */
export async function* readStream(
  ctx: StreamReadContext<SourcePostgresConfig>,
  table: SourceTable,
  tuning: ReadTuning,
  applicationName: string,
): AsyncGenerator<StreamChunk> {
  const name = qualifiedName(table.schema, table.name);
  const incremental = ctx.syncMode === "incremental";
  const cursorPath = ctx.cursorField ?? [];
  if (incremental && cursorPath.length !== 1) {
    throw configError(
      cursorPath.length === 0
        ? `Stream ${name}: incremental sync needs a cursor_field (a column such as updated_at)`
        : `Stream ${name}: the cursor must be a top-level column, not ${JSON.stringify(cursorPath)}`,
    );
  }
  const cursorName = incremental ? (cursorPath[0] as string) : undefined;
  if (cursorName !== undefined && !table.columns.some((c) => c.name === cursorName)) {
    throw configError(`Stream ${name}: cursor column "${cursorName}" does not exist`);
  }
  const selected = selectColumns(table, ctx.configured.stream.json_schema, [
    ...table.primaryKey,
    ...(cursorName === undefined ? [] : [cursorName]),
  ]);

  const connected = await connectPostgres(ctx.config, { applicationName, settings: SOURCE_SESSION_SETTINGS });
  if (!connected.ok) throw connected.error;
  const client = connected.client;
  try {
    const version = await client.query<{ server_version_num: string }>("SHOW server_version_num");
    const read: TableRead = {
      client,
      table,
      selected,
      tuning,
      serverVersion: Number(version.rows[0]?.server_version_num ?? 0),
      verify: async () => {
        const change = await describeChange(client, table, selected);
        if (change !== undefined) {
          throw configError(`${name} ${change} during the sync: refresh the source schema and sync again`);
        }
      },
    };
    if (cursorName !== undefined) {
      const { start, ignored } = cursorStart(ctx.state, cursorName, table.primaryKey);
      if (ignored)
        ctx.logger.log(
          "WARN",
          `Stream ${name}: the saved state is not used (${ignored}); reading from the start`,
        );
      yield* readByCursor(read, cursorName, start, { name: table.name, namespace: table.schema });
      return;
    }
    const { start, ignored } = fullRefreshStart(ctx.state, table);
    if (ignored)
      ctx.logger.log(
        "WARN",
        `Stream ${name}: the saved state is not used (${ignored}); reading from the start`,
      );
    if (start.kind !== "beginning")
      ctx.logger.log("INFO", `Stream ${name}: resuming an interrupted full refresh`);
    if (table.primaryKey.length > 0) yield* readByKey(read, start);
    else if ((table.kind === "r" || table.kind === "m") && read.serverVersion >= 140000)
      yield* readByPages(read, start);
    else yield* readWhole(read);
  } catch (error) {
    throw await explainReadError(client, table, selected, error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Turns a failed read into a clear error: a table dropped or altered meanwhile is a config
 * error that says so; a lost connection is transient; anything else is classified by SQLSTATE.
 */
async function explainReadError(
  client: pg.Client,
  table: SourceTable,
  selected: readonly TableColumn[],
  error: unknown,
): Promise<ConnectorError> {
  if (error instanceof ConnectorError) return error;
  const name = qualifiedName(table.schema, table.name);
  if (error instanceof TableRewritten) {
    return new ConnectorError(
      "transient_error",
      `${error.message}; the next attempt reads it again from the start`,
    );
  }
  const context = `Reading ${name} failed`;
  const state = sqlState(error);
  if (state !== undefined) {
    try {
      const change = await describeChange(client, table, selected);
      if (change !== undefined) {
        return new ConnectorError(
          "config_error",
          `${name} ${change} during the sync: refresh the source schema and sync again`,
          String(error),
        );
      }
    } catch {
      // The connection itself may be gone: classify the original error.
    }
  }
  if (state === "42P01")
    return new ConnectorError("config_error", `${name} was dropped during the sync`, String(error));
  return classifyQueryError(error, context);
}

async function describeChange(
  client: pg.Client,
  table: SourceTable,
  selected: readonly TableColumn[],
): Promise<string | undefined> {
  const result = await client.query<{ name: string; type_oid: number; type: string }>(
    `SELECT a.attname AS name, a.atttypid::int AS type_oid, pg_catalog.format_type(a.atttypid, NULL) AS type
       FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = $1 AND c.relname = $2)
        AND a.attnum > 0 AND NOT a.attisdropped`,
    [table.schema, table.name],
  );
  if (result.rows.length === 0) return "was dropped";
  const now = new Map(result.rows.map((row) => [row.name, row]));
  const changes: string[] = [];
  for (const column of selected) {
    const current = now.get(column.name);
    if (current === undefined) changes.push(`column "${column.name}" was dropped or renamed`);
    else if (current.type_oid !== column.typeOid) {
      changes.push(`column "${column.name}" changed type from ${column.sqlType} to ${current.type}`);
    }
  }
  return changes.length === 0 ? undefined : `was altered (${changes.join("; ")})`;
}
