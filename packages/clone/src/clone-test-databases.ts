import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createTestDatabase, type TestDatabase } from "@weir/postgres-connection/testing";
import { CloneConfig } from "./clone-config.js";

// Helpers for the clone's integration tests: a destination per test, a clone file between two
// test databases, and comparisons that read both sides the same way.

/** The clone config between two test databases, plus `extra` settings. */
export function cloneBetween(
  source: TestDatabase,
  destination: TestDatabase,
  extra: Record<string, unknown> = {},
): CloneConfig {
  const side = (db: TestDatabase) => ({
    connector: "postgres",
    config: { ...db.config, ssl_mode: { mode: "disable" } },
  });
  return CloneConfig.parse({ source: side(source), destination: side(destination), ...extra });
}

/** Row count and a checksum of the given columns (default: the whole row), in a stable order. */
export async function tableChecksum(
  db: TestDatabase,
  table: string,
  columns?: readonly string[],
): Promise<{ rows: number; sum: string | null }> {
  const row = columns === undefined ? "t" : `ROW(${columns.map((c) => `t.${c}`).join(", ")})`;
  const [result] = await db.query<{ rows: number; sum: string | null }>(
    `SELECT count(*)::int AS rows, md5(string_agg(${row}::text, '|' ORDER BY ${row}::text)) AS sum FROM ${table} t`,
  );
  return result ?? { rows: 0, sum: null };
}

const run = promisify(execFile);

/** The schema as pg_dump prints it, without the lines that differ between any two dumps. */
export async function schemaDump(db: TestDatabase): Promise<string> {
  const { host, port, database, username } = db.config;
  const { stdout } = await run(
    "pg_dump",
    [
      "--schema-only",
      "--no-owner",
      "--no-privileges",
      "-h",
      host,
      "-p",
      String(port),
      "-U",
      username,
      database,
    ],
    { maxBuffer: 64 << 20 },
  );
  return stdout
    .split("\n")
    .filter((line) => !/^\\(un)?restrict /.test(line))
    .join("\n");
}

/** A fresh, empty destination database. */
export const freshDestination = (): Promise<TestDatabase> => createTestDatabase("clonedst");
