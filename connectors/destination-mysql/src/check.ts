import { randomBytes } from "node:crypto";
import type { CheckResult, ConnectorContext } from "@weir/cdk";
import {
  classifyMysqlError,
  openMysqlSession,
  qualifiedTable,
  resolveConnectSettings,
} from "@weir/mysql-connection";
import type { DestinationMysqlConfig } from "./destination-spec.js";

/**
 * Connects, then creates, fills and drops a probe table in the configured database.
 * Example: `await checkMysql(ctx)` is `{ ok: false, message: "…refused the login…" }` for a wrong password.
 */
export async function checkMysql(ctx: ConnectorContext<DestinationMysqlConfig>): Promise<CheckResult> {
  const settings = resolveConnectSettings(ctx.config);
  if (!settings.ok) return { ok: false, message: settings.message };
  const opened = await openMysqlSession(settings.value, { role: "destination", logger: ctx.logger });
  if (!opened.ok) return { ok: false, message: opened.error.message };
  const { session } = opened;
  const probe = qualifiedTable(settings.value.database, `_weir_check_${randomBytes(6).toString("hex")}`);
  try {
    await session.query(`CREATE TABLE ${probe} (id INT)`);
    await session.query(`INSERT INTO ${probe} VALUES (1)`);
    await session.query(`DROP TABLE ${probe}`);
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      message: classifyMysqlError(error, `Writing a probe table ${probe}`, settings.value).message,
    };
  } finally {
    await session.close();
  }
}
