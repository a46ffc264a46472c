import { randomUUID } from "node:crypto";
import type { CheckResult, ConnectorContext } from "@weir/cdk";
import { type DuckdbConfig, resolveDuckdbConfig } from "./config.js";
import { openDatabase } from "./database-open.js";
import { qualifiedTable, quoteIdentifier } from "./sql-identifiers.js";

/**
 * Opens (or creates) the file, then writes and drops a probe table in the configured schema.
 * Example: `await checkDuckdb(ctx)` is `{ ok: false, message: "…locked by another process…" }` when it is in use.
 */
export async function checkDuckdb(ctx: ConnectorContext<DuckdbConfig>): Promise<CheckResult> {
  const resolved = resolveDuckdbConfig(ctx.config);
  if (!resolved.ok) return { ok: false, message: resolved.error.message };
  const { path, schema, ignoredMotherduckKey } = resolved.value;
  if (ignoredMotherduckKey) {
    ctx.logger.log(
      "WARN",
      "motherduck_api_key is set but ignored: this destination writes a local DuckDB file only",
    );
  }
  const opened = await openDatabase(path);
  if (!opened.ok) return { ok: false, message: opened.error.message };
  const { connection } = opened.db;
  const probe = qualifiedTable(schema, `_weir_check_${randomUUID().replaceAll("-", "")}`);
  try {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await connection.run(`CREATE TABLE ${probe} (id INTEGER)`);
    await connection.run(`INSERT INTO ${probe} VALUES (1)`);
    await connection.run(`DROP TABLE ${probe}`);
    await connection.run("CHECKPOINT");
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      message: `Cannot write to ${path}: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    opened.db.close();
  }
}
