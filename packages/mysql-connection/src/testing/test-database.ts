import { randomBytes } from "node:crypto";
import type { MysqlConnectionConfig } from "../connection-config.js";
import { resolveConnectSettings } from "../connection-config.js";
import { type MysqlSession, openMysqlSession } from "../mysql-session.js";
import { quoteIdentifier } from "../sql-identifiers.js";

/** The server tests use unless WEIR_TEST_MYSQL_URL says otherwise (CI starts MariaDB there). */
export const DEFAULT_TEST_MYSQL_URL = "mysql://root@127.0.0.1:3306";

/** Connection fields of the test server, as connector configs spell them. */
export interface TestServer {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password?: string;
}

/** The test server from `WEIR_TEST_MYSQL_URL`, e.g. `mysql://root:pw@127.0.0.1:3306`. */
export function testServerFromEnv(
  url: string = process.env.WEIR_TEST_MYSQL_URL ?? DEFAULT_TEST_MYSQL_URL,
): TestServer {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  return {
    host: parsed.hostname,
    port: parsed.port === "" ? 3306 : Number(parsed.port),
    username: decodeURIComponent(parsed.username) || "root",
    ...(password === "" ? {} : { password }),
  };
}

let probe: Promise<{ ok: true; server: TestServer } | { ok: false; reason: string }> | undefined;

/**
 * Whether the test server answers, asked once per process. Tests skip with the reason when not.
 * Example: `const server = await probeTestServer(); describe.skipIf(!server.ok)(…)`.
 */
export function probeTestServer(): Promise<{ ok: true; server: TestServer } | { ok: false; reason: string }> {
  probe ??= (async () => {
    const server = testServerFromEnv();
    const settings = resolveConnectSettings({ ...server, database: "mysql", ssl_mode: { mode: "disabled" } });
    if (!settings.ok) return { ok: false as const, reason: settings.message };
    const opened = await openMysqlSession(settings.value, { role: "destination" });
    if (!opened.ok) {
      return {
        ok: false as const,
        reason: `no MySQL/MariaDB at ${server.host}:${server.port} (set WEIR_TEST_MYSQL_URL): ${opened.error.message}`,
      };
    }
    await opened.session.close();
    return { ok: true as const, server };
  })();
  return probe;
}

/** A database of its own for one test: created on the test server, dropped by `drop`. */
export interface TestDatabase {
  readonly name: string;
  /** A connector config pointing at it (TLS off: the test server has none). */
  readonly config: MysqlConnectionConfig & { readonly ssl_mode: { readonly mode: string } };
  /** A session on it, for setting up and checking data. */
  readonly session: MysqlSession;
  /** Runs SQL on `session`. */
  sql<Row = Record<string, unknown>>(sql: string, values?: readonly unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

/** A database name no other test run uses, e.g. `weir_t_types_4711_a1b2c3`. */
export function uniqueDatabaseName(prefix: string): string {
  return `weir_t_${prefix}_${process.pid}_${randomBytes(3).toString("hex")}`;
}

/**
 * Creates a fresh database (utf8mb4) on the test server. Example:
 * `const db = await createTestDatabase("types"); await db.sql("CREATE TABLE t (id INT PRIMARY KEY)"); … await db.drop()`.
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const probed = await probeTestServer();
  if (!probed.ok) throw new Error(probed.reason);
  const server = probed.server;
  const name = uniqueDatabaseName(prefix);
  const admin = resolveConnectSettings({ ...server, database: "mysql", ssl_mode: { mode: "disabled" } });
  if (!admin.ok) throw new Error(admin.message);
  const opened = await openMysqlSession(admin.value, { role: "destination" });
  if (!opened.ok) throw opened.error;
  const session = opened.session;
  await session.query(
    `CREATE DATABASE ${quoteIdentifier(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await session.query(`USE ${quoteIdentifier(name)}`);
  return {
    name,
    config: { ...server, database: name, ssl_mode: { mode: "disabled" } },
    session,
    sql: (sql, values) => session.query(sql, values),
    drop: async () => {
      try {
        await session.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
      } finally {
        await session.close();
      }
    },
  };
}
