import { runInProcess } from "@weir/cdk/testing";
import { createTestDatabase, probePostgres, type TestDatabase } from "@weir/postgres-connection/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourcePostgres } from "./source-postgres.js";
import { SourceTestReads } from "./source-test-reads.js";

const server = await probePostgres();

describe.skipIf(!server.ok)("source-postgres: types, names and failures", () => {
  let db: TestDatabase;
  let reads: SourceTestReads;
  beforeAll(async () => {
    db = await createTestDatabase("srctypes");
    reads = new SourceTestReads(sourcePostgres, {
      ...db.config,
      schemas: ["public", "Sales ✓"],
      ssl_mode: { mode: "disable" },
    });
    await db.query(`
      CREATE TYPE mood AS ENUM ('sad', 'happy');
      CREATE DOMAIN price AS numeric(12, 2);
      CREATE TABLE kinds (
        id int8 PRIMARY KEY, n numeric, i2 int2, i4 int4, f4 real, f8 float8, b bool, by bytea, u uuid,
        j json, jb jsonb, d date, ts timestamp, tstz timestamptz, t time, ttz timetz, iv interval,
        m money, pt point, bx box, ip inet, mac macaddr, mo mood, pr price, bits bit varying,
        arr int[], tarr text[], narr numeric[], tsarr timestamptz[], barr bytea[], boxes box[], ch "char", nm name
      );
      INSERT INTO kinds VALUES (
        9223372036854775807, 12345678901234567890.123456789, -32768, 2147483647, 0.1, 1e308, true, '\\x00ff10',
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 12345678901234567890.5}', '{"b": [1, 2]}',
        '0044-03-15 BC', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+02', '03:04:05', '03:04:05+05:30',
        '1 year 2 days 03:04:05', 1234.56, '(1,2)', '((1,1),(0,0))', '10.0.0.1/8', '08:00:2b:01:02:03', 'happy', 9.99,
        B'101', '{1,NULL,3}', '{"a b","c\\"d",NULL,"NULL",""}', '{1.5,NaN}', '{"2024-01-01 00:00:00+00"}',
        '{"\\\\x0102"}', '{(1,1),(0,0);(2,2),(1,1)}', 'x', 'nm'
      ), (
        -9007199254740993, 'NaN', NULL, NULL, 'NaN', '-Infinity', false, '', NULL, NULL, 'null', 'infinity',
        '-infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{{1,2},{3,4}}', '{}',
        NULL, NULL, NULL, NULL, NULL, NULL
      ), (
        1, '-0.000000000000000000001', 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
      );
      CREATE SCHEMA "Sales ✓";
      CREATE TABLE "Sales ✓"."Order ""Items"" 🧾" ("Line No" int PRIMARY KEY, "Ünïcode ""col""" text, "UPPER" text, upper text);
      INSERT INTO "Sales ✓"."Order ""Items"" 🧾" VALUES (1, E'quotes '' " \\\\ back\\nslash\\ttab\\r😀', '', NULL);
    `);
    const wide = Array.from({ length: 1000 }, (_, i) => `c${i} int`).join(", ");
    await db.query(
      `CREATE TABLE wide (${wide}); INSERT INTO wide SELECT ${Array.from({ length: 1000 }, (_, i) => i).join(", ")}`,
    );
  });
  afterAll(() => db?.drop());

  it("maps every type to JSON schema and keeps values exact", async () => {
    const catalog = await reads.catalog();
    const kinds = catalog.streams.find((s) => s.name === "kinds");
    const properties = kinds?.json_schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.n).toEqual({ type: ["null", "string"], airbyte_type: "big_number" });
    expect(properties.id).toEqual({ type: ["null", "integer"] });
    expect(properties.by).toEqual({ type: ["null", "string"], contentEncoding: "base64" });
    expect(properties.jb).toEqual({ type: ["null", "string"], contentMediaType: "application/json" });
    expect(properties.tstz).toMatchObject({ format: "date-time", airbyte_type: "timestamp_with_timezone" });
    expect(properties.ts).toMatchObject({ format: "date-time", airbyte_type: "timestamp_without_timezone" });
    expect(properties.ttz).toMatchObject({ format: "time", airbyte_type: "time_with_timezone" });
    expect(properties.pr).toEqual({ type: ["null", "string"], airbyte_type: "big_number" });
    expect(properties.arr).toEqual({ type: ["null", "array"], items: { type: ["null", "integer"] } });
    expect(kinds?.source_defined_primary_key).toEqual([["id"]]);

    const result = await reads.read(await reads.configure(["kinds"], "full_refresh"));
    expect(result.errors).toEqual([]);
    const byId = new Map(result.records.map((r) => [String(r.data.id), r.data]));
    expect(byId.get("9223372036854775807")).toEqual({
      id: "9223372036854775807",
      n: "12345678901234567890.123456789",
      i2: -32768,
      i4: 2147483647,
      f4: 0.1,
      f8: 1e308,
      b: true,
      by: "AP8Q",
      u: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      j: '{"a": 12345678901234567890.5}',
      jb: '{"b": [1, 2]}',
      d: "0044-03-15 BC",
      ts: "2024-01-02T03:04:05.123456",
      tstz: "2024-01-02T01:04:05Z",
      t: "03:04:05",
      ttz: "03:04:05+05:30",
      iv: "P1Y2DT3H4M5S",
      m: "1234.56",
      pt: "(1,2)",
      bx: "(1,1),(0,0)",
      ip: "10.0.0.1/8",
      mac: "08:00:2b:01:02:03",
      mo: "happy",
      pr: "9.99",
      bits: "101",
      arr: [1, null, 3],
      tarr: ["a b", 'c"d', null, "NULL", ""],
      narr: ["1.5", "NaN"],
      tsarr: ["2024-01-01T00:00:00Z"],
      barr: ["AQI="],
      boxes: ["(1,1),(0,0)", "(2,2),(1,1)"],
      ch: "x",
      nm: "nm",
    });
    expect(byId.get("-9007199254740993")).toMatchObject({
      n: "NaN",
      f4: "NaN",
      f8: "-Infinity",
      by: "",
      jb: "null",
      d: "infinity",
      ts: "-infinity",
      arr: [
        [1, 2],
        [3, 4],
      ],
      tarr: [],
    });
    expect(byId.get("1")).toMatchObject({
      id: 1,
      n: "-0.000000000000000000001",
      i2: 0,
      f4: 0,
      f8: 0,
      b: null,
    });
  });

  it("keeps quoted, mixed-case and unicode names and odd text", async () => {
    const result = await reads.read(await reads.configure(['Sales ✓.Order "Items" 🧾'], "full_refresh"));
    expect(result.errors).toEqual([]);
    expect(result.records[0]?.namespace).toBe("Sales ✓");
    expect(result.records[0]?.stream).toBe('Order "Items" 🧾');
    expect(result.records[0]?.data).toEqual({
      "Line No": 1,
      'Ünïcode "col"': "quotes ' \" \\ back\nslash\ttab\r😀",
      UPPER: "",
      upper: null,
    });
  });

  it("reads a 1,000-column table", async () => {
    const result = await reads.read(await reads.configure(["wide"], "full_refresh"));
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.records[0]?.data ?? {})).toHaveLength(1000);
    expect(result.records[0]?.data.c999).toBe(999);
  });

  it("wrong credentials and unreachable hosts: check FAILED, read a config_error", async () => {
    const catalog = await reads.configure(["kinds"], "full_refresh");
    for (const config of [
      { ...reads.config, username: "weir_no_such_role" },
      { ...reads.config, port: 1 },
      { ...reads.config, database: "weir_no_such_db" },
    ]) {
      const check = await runInProcess(sourcePostgres, { command: "check", config });
      expect(check.connectionStatus?.status).toBe("FAILED");
      expect(check.connectionStatus?.message).toMatch(/weir_no_such_role|connection refused|does not exist/);
      const read = await runInProcess(sourcePostgres, { command: "read", config, catalog });
      expect(read.records).toEqual([]);
      expect(read.errors.map((e) => e.failure_type)).toEqual(["config_error"]);
    }
  });

  it("a missing schema fails check; Xmin and CDC are refused as not supported yet", async () => {
    const missing = await runInProcess(sourcePostgres, {
      command: "check",
      config: { ...reads.config, schemas: ["nope"] },
    });
    expect(missing.connectionStatus).toEqual({
      status: "FAILED",
      message: `schemas: "nope" not found in database "${db.name}"`,
    });
    for (const method of ["Xmin", "CDC"]) {
      const config = {
        ...reads.config,
        replication_method: { method, replication_slot: "s", publication: "p" },
      };
      const check = await runInProcess(sourcePostgres, { command: "check", config });
      expect(check.connectionStatus?.message).toMatch(
        new RegExp(`replication_method ${method} is not supported yet`),
      );
      const discover = await runInProcess(sourcePostgres, { command: "discover", config });
      expect(discover.errors.map((e) => e.failure_type)).toEqual(["config_error"]);
    }
  });

  it("a column dropped since discovery is a config error naming it", async () => {
    await db.query("CREATE TABLE shrinking (id int PRIMARY KEY, gone text)");
    const catalog = await reads.configure(["shrinking"], "full_refresh");
    await db.query("ALTER TABLE shrinking DROP COLUMN gone");
    const result = await reads.read(catalog);
    expect(result.errors.map((e) => [e.failure_type, e.message])).toEqual([
      [
        "config_error",
        'Column "gone" of "public"."shrinking" no longer exists (the table changed since the catalog was discovered): refresh the source schema',
      ],
    ]);
  });
});
