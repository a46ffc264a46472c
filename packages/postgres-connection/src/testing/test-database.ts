import { randomBytes } from "node:crypto";
import pg from "pg";
import { quoteIdentifier } from "../sql-identifiers.js";

/** The server tests use: `WEIR_TEST_POSTGRES_URL`, default the local trust-auth superuser. */
export const TEST_POSTGRES_URL =
  process.env.WEIR_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Whether the test server answers; `reason` says why not. Example: `const pg = await probePostgres()`. */
export async function probePostgres(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      reason: `Postgres at ${TEST_POSTGRES_URL} is not reachable: ${(error as Error).message}`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** A database made for one test file, with a unique name; `drop()` removes it. */
export interface TestDatabase {
  readonly name: string;
  /** Connection fields in the shape of an Airbyte Postgres config. */
  readonly config: { host: string; port: number; database: string; username: string; password?: string };
  /** Runs SQL in the database (one shared client). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/**
 * Creates a database with a unique name on the test server.
 * Example: `const db = await createTestDatabase("srcpg"); … await db.drop()`.
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `weir_${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  client.on("error", () => {});
  const config = {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: name,
    username: decodeURIComponent(url.username || "postgres"),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
  return {
    name,
    config,
    async query(sql, values) {
      const result = await client.query(sql, values);
      // A multi-statement string gives one result per statement: the last one is the answer.
      const last = Array.isArray(result) ? result.at(-1) : result;
      return last.rows;
    },
    async drop() {
      await client.end().catch(() => {});
      const dropper = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
