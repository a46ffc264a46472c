import { runConnector } from "@weir/cdk";
import { createTestDatabase, probePostgres, type TestDatabase } from "@weir/postgres-connection/testing";
import type { ConfiguredAirbyteCatalog } from "@weir/protocol";
import { createInProcessHandle, runSync } from "@weir/runtime";
import { sourcePostgres } from "@weir/source-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destinationPostgres } from "./destination-postgres.js";

const server = await probePostgres();
const MB = 1024 * 1024;

/** Source tables and the checks that must give the same answer in the copy. */
const CHECKS: readonly { readonly name: string; readonly sql: (schema: string) => string }[] = [
  {
    name: "numerics, text of every value",
    sql: (s) => `SELECT string_agg(coalesce(n::text, 'NULL'), '|' ORDER BY id) AS v FROM "${s}".numbers`,
  },
  {
    name: "odd text, hashed",
    sql: (s) =>
      `SELECT string_agg(coalesce(md5(t), 'NULL') || ':' || length(t), '|' ORDER BY id) AS v FROM "${s}".texts`,
  },
  {
    name: "timestamps, dates, json",
    sql: (s) =>
      `SELECT string_agg(concat_ws(',', ts::text, tstz::text, d::text, tm::text, jb::text, by::text), '|' ORDER BY id) AS v FROM "${s}".times`,
  },
  {
    name: "quoted, mixed-case and unicode names",
    sql: () =>
      `SELECT string_agg("Ünïcode ""col""" || "UPPER" || coalesce(upper, '-'), '|') AS v FROM "Sales ✓"."Order ""Items"" 🧾"`,
  },
  {
    name: "a 1,000-column table",
    sql: (s) =>
      `SELECT md5(string_agg(c0::text || c500::text || c999::text, ',')) || count(*) AS v FROM "${s}".wide`,
  },
  {
    name: "100 MB values",
    sql: (s) => `SELECT md5(b) || length(b) || ':' || md5(t) || length(t) AS v FROM "${s}".big`,
  },
];

describe.skipIf(!server.ok)("source-postgres → destination-postgres", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase("rtsrc"), createTestDatabase("rtdst")]);
    await source.query(`
      CREATE TABLE numbers (id int PRIMARY KEY, n numeric);
      INSERT INTO numbers VALUES (1, 12345678901234567890.123456789), (2, 'NaN'), (3, 'Infinity'), (4, '-Infinity'),
        (5, 0.000000000000000000000000000001), (6, -0.5), (7, NULL), (8, 1e100), (9, 123.4500),
        (10, repeat('9', 1000)::numeric + 0.000001);
      CREATE TABLE texts (id int PRIMARY KEY, t text);
      INSERT INTO texts VALUES (1, ''), (2, NULL), (3, E'quotes '' " and \\\\ backslashes'), (4, E'new\\nlines\\r\\nand\\ttabs'),
        (5, 'emoji 😀🧾 and ünïcödé'), (6, E'\\\\N looks like NULL'), (7, 'NULL'), (8, E'trailing backslash \\\\');
      CREATE TABLE times (id int PRIMARY KEY, ts timestamp, tstz timestamptz, d date, tm timetz, jb jsonb, by bytea);
      INSERT INTO times VALUES (1, '2024-02-29 23:59:59.999999', '1999-12-31 23:00:00-05', '0044-03-15 BC', '12:00:00+05:30',
        '{"big": 12345678901234567890.5, "s": "a\\"b"}', '\\x00ff'), (2, 'infinity', '-infinity', 'infinity', NULL, 'null', '');
      CREATE SCHEMA "Sales ✓";
      CREATE TABLE "Sales ✓"."Order ""Items"" 🧾" ("Ünïcode ""col""" text PRIMARY KEY, "UPPER" text, upper text);
      INSERT INTO "Sales ✓"."Order ""Items"" 🧾" VALUES ('ä"b', 'X', NULL);
      CREATE TABLE big (id int PRIMARY KEY, b bytea, t text);
      -- Uncompressed: pglz on 200 MB of repeated bytes would only slow the test down.
      ALTER TABLE big ALTER b SET STORAGE EXTERNAL, ALTER t SET STORAGE EXTERNAL;
    `);
    const wide = Array.from({ length: 1000 }, (_, i) => `c${i} int`).join(", ");
    await source.query(
      `CREATE TABLE wide (${wide}); INSERT INTO wide SELECT ${Array.from({ length: 1000 }, (_, i) => `g + ${i}`).join(", ")} FROM generate_series(1, 3) g`,
    );
    await source.query(
      `INSERT INTO big SELECT 1, decode(repeat('00ff7f', ${Math.ceil((100 * MB) / 3)}), 'hex'), repeat(E'line\\\\with\\ttabs\\n', ${(100 * MB) / 16})`,
    );
  }, 120_000);
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it("copies every table so that values, names and 100 MB values compare equal", async () => {
    const sourceConfig = { ...source.config, schemas: ["public", "Sales ✓"], ssl_mode: { mode: "disable" } };
    const targetConfig = { ...target.config, schema: "public", ssl_mode: { mode: "disable" } };
    let catalog: ConfiguredAirbyteCatalog | undefined;
    for await (const batch of runConnector(sourcePostgres, { command: "discover", config: sourceConfig })) {
      for (const message of batch) {
        if (message.type === "CATALOG") {
          catalog = {
            streams: message.catalog.streams.map((stream) => ({
              stream,
              sync_mode: "full_refresh" as const,
              destination_sync_mode: "overwrite" as const,
            })),
          };
        }
      }
    }
    if (catalog === undefined) throw new Error("no catalog");
    const result = await runSync({
      source: { handle: createInProcessHandle(sourcePostgres), config: sourceConfig },
      destination: { handle: createInProcessHandle(destinationPostgres), config: targetConfig },
      catalog,
    });
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe("succeeded");
    for (const check of CHECKS) {
      const [expected] = await source.query(check.sql("public"));
      const [actual] = await target.query(check.sql("public"));
      expect({ check: check.name, value: actual?.v }).toEqual({ check: check.name, value: expected?.v });
    }
    const [numbers] = await target.query(`SELECT n::text AS n FROM numbers WHERE id = 1`);
    expect(numbers?.n).toBe("12345678901234567890.123456789");
  }, 120_000);
});
