import { createTestDatabase, probeTestServer, type TestDatabase } from "@weir/mysql-connection/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceMysql } from "./source-mysql.js";
import { configure, discover, read, streamNamed } from "./test-reads.js";

const server = await probeTestServer();
let db: TestDatabase;

const TYPES_TABLE = `CREATE TABLE types (
  id INT PRIMARY KEY,
  big_unsigned BIGINT UNSIGNED,
  big_signed BIGINT,
  small TINYINT UNSIGNED,
  dec_wide DECIMAL(65,30),
  dec_money DECIMAL(10,2),
  dbl DOUBLE,
  flt FLOAT,
  flag TINYINT(1),
  bit1 BIT(1),
  bits BIT(12),
  yr YEAR,
  d DATE,
  dt DATETIME(6),
  ts TIMESTAMP(3) NULL,
  tm TIME(2),
  bin BINARY(4),
  blb BLOB,
  js JSON,
  txt TEXT,
  vc VARCHAR(20),
  en ENUM('small','large'),
  st SET('a','b','c'),
  geo GEOMETRY
)`;

beforeAll(async () => {
  if (!server.ok) return;
  db = await createTestDatabase("src_types");
  await db.sql(TYPES_TABLE);
  // TIMESTAMP values are instants: written in +02:00, read back in UTC.
  await db.sql("SET time_zone = '+02:00'");
  await db.sql(
    `INSERT INTO types VALUES (1, 18446744073709551615, -9223372036854775808, 255,
      12345678901234567890123456789012345.123456789012345678901234567890, 1234.50, 0.1, 1.5, 1, b'1', b'101010101010',
      2024, '2024-02-29', '2024-01-02 03:04:05.123456', '2024-06-01 12:00:00.250', '13:14:15.5',
      X'00FF10AB', X'DEADBEEF', '{"n": 12345678901234567890, "s": "é"}',
      'quote '' backslash \\\\ tab \t newline \n end 🎉', '', 'large', 'a,c', ST_GeomFromText('POINT(1 2)'))`,
  );
  await db.sql(
    `INSERT INTO types (id, big_unsigned, d, dt, ts, tm, flag) VALUES
      (2, 9007199254740993, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '-01:00:00', 0),
      (3, 42, '2024-00-10', NULL, NULL, '838:59:59', NULL)`,
  );
  await db.sql("SET time_zone = '+00:00'");
  await db.sql(
    "CREATE TABLE `Mixed Case ☃ ünïcode` (`Id` INT PRIMARY KEY, `Straße` VARCHAR(10), `__proto__` INT, `with``tick` INT)",
  );
  await db.sql("INSERT INTO `Mixed Case ☃ ünïcode` VALUES (1, 'groß', 7, 8)");
  await db.sql("CREATE VIEW big_ones AS SELECT id, big_unsigned FROM types WHERE big_unsigned > 100");
});
afterAll(() => db?.drop());

describe.skipIf(!server.ok)(
  server.ok ? "source-mysql types" : `source-mysql types (skipped: ${server.reason})`,
  () => {
    it("discovers every type with Airbyte's JSON schema types", async () => {
      const catalog = await discover(sourceMysql, db.config);
      const types = streamNamed(catalog, "types");
      expect(types.namespace).toBe(db.name);
      expect(types.source_defined_primary_key).toEqual([["id"]]);
      expect(types.is_resumable).toBe(true);
      // No column named like updated_at: the one-column key is the suggested cursor.
      expect(types.default_cursor_field).toEqual(["id"]);
      const p = types.json_schema.properties as Record<string, Record<string, unknown>>;
      expect(p.big_unsigned).toEqual({
        type: ["null", "string"],
        airbyte_type: "big_integer",
        minimum: 0,
        maximum: 2 ** 64 - 1,
      });
      expect(p.big_signed).toEqual({ type: ["null", "integer"] });
      expect(p.dec_wide).toEqual({
        type: ["null", "string"],
        airbyte_type: "big_number",
        precision: 65,
        scale: 30,
      });
      expect(p.flag).toEqual({ type: ["null", "boolean"] });
      expect(p.bit1).toEqual({ type: ["null", "boolean"] });
      expect(p.bits).toEqual({ type: ["null", "string"], contentEncoding: "base64" });
      expect(p.d).toEqual({ type: ["null", "string"], format: "date" });
      expect(p.dt).toMatchObject({ format: "date-time", airbyte_type: "timestamp_without_timezone" });
      expect(p.ts).toMatchObject({ format: "date-time", airbyte_type: "timestamp_with_timezone" });
      expect(p.tm).toMatchObject({ format: "time", airbyte_type: "time_without_timezone" });
      expect(p.blb).toEqual({ type: ["null", "string"], contentEncoding: "base64" });
      expect(p.js).toEqual({ type: ["null", "string"], contentMediaType: "application/json" });
      expect(p.vc).toEqual({ type: ["null", "string"], maxLength: 20 });
      expect(p.geo).toEqual({ type: ["null", "string"], contentEncoding: "base64" });
      const view = streamNamed(catalog, "big_ones");
      expect(view.source_defined_primary_key).toBeUndefined();
      expect(view.is_resumable).toBe(false);
      expect(view.default_cursor_field).toBeUndefined();
    });

    it("reads values exactly: decimals and unsigned BIGINTs as text, signed ones past 2^53 as text, instants in UTC", async () => {
      const catalog = await discover(sourceMysql, db.config);
      const result = await read(
        sourceMysql,
        db.config,
        configure(streamNamed(catalog, "types"), "full_refresh"),
      );
      expect(result.errors).toEqual([]);
      const [one, two, three] = result.records.map((r) => r.data);
      expect(one).toEqual({
        id: 1,
        big_unsigned: "18446744073709551615",
        big_signed: "-9223372036854775808",
        small: 255,
        dec_wide: "12345678901234567890123456789012345.123456789012345678901234567890",
        dec_money: "1234.50",
        dbl: 0.1,
        flt: 1.5,
        flag: true,
        bit1: true,
        bits: Buffer.from([0b1010, 0b10101010]).toString("base64"),
        yr: 2024,
        d: "2024-02-29",
        dt: "2024-01-02T03:04:05.123456",
        ts: "2024-06-01T10:00:00.250Z",
        tm: "13:14:15.50",
        bin: Buffer.from("00FF10AB", "hex").toString("base64"),
        blb: Buffer.from("DEADBEEF", "hex").toString("base64"),
        js: '{"n": 12345678901234567890, "s": "é"}',
        txt: "quote ' backslash \\ tab \t newline \n end 🎉",
        vc: "",
        en: "large",
        st: "a,c",
        geo: expect.any(String),
      });
      // MySQL's geometry bytes: a 4-byte SRID, then WKB of POINT(1 2).
      expect(Buffer.from(one?.geo as string, "base64").toString("hex")).toBe(
        "00000000" + "01" + "01000000" + "000000000000f03f" + "0000000000000040",
      );
      // 2^53 + 1: a double would make it 2^53.
      expect(two).toMatchObject({
        big_unsigned: "9007199254740993",
        d: null,
        dt: null,
        ts: null,
        tm: null,
        flag: false,
      });
      expect(three).toMatchObject({ big_unsigned: "42", d: null, tm: null, flag: null, txt: null });
      const warnings = result.logs.filter((l) => l.level === "WARN").map((l) => l.message);
      expect(warnings).toContain(
        "types.d: 2 zero dates ('0000-00-00', or a zero month or day) were emitted as null, as Airbyte's source-mysql does",
      );
      expect(warnings.some((w) => w.startsWith("types.tm: 2 TIME values outside"))).toBe(true);
    });

    it("reads quoted, mixed-case and unicode identifiers, and a column named __proto__", async () => {
      const catalog = await discover(sourceMysql, db.config);
      const stream = streamNamed(catalog, "Mixed Case ☃ ünïcode");
      expect(Object.keys(stream.json_schema.properties as object)).toEqual([
        "Id",
        "Straße",
        "__proto__",
        "with`tick",
      ]);
      const result = await read(sourceMysql, db.config, configure(stream, "full_refresh"));
      expect(result.errors).toEqual([]);
      const data = result.records[0]?.data as Record<string, unknown>;
      expect(Object.entries(data)).toEqual([
        ["Id", 1],
        ["Straße", "groß"],
        ["__proto__", 7],
        ["with`tick", 8],
      ]);
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    });

    it("reads only the columns the configured schema keeps", async () => {
      const catalog = await discover(sourceMysql, db.config);
      const stream = streamNamed(catalog, "types");
      const narrowed = { ...stream, json_schema: { type: "object", properties: { vc: { type: "string" } } } };
      const result = await read(sourceMysql, db.config, configure(narrowed, "full_refresh"));
      expect(result.errors).toEqual([]);
      expect(result.records.map((r) => r.data)).toEqual([{ vc: "" }, { vc: null }, { vc: null }]);
    });

    it("emits TINYINT(1) as integers when treat_tinyint1_as_integer is set", async () => {
      const config = { ...db.config, treat_tinyint1_as_integer: true };
      const stream = streamNamed(await discover(sourceMysql, config), "types");
      expect((stream.json_schema.properties as Record<string, unknown>).flag).toEqual({
        type: ["null", "integer"],
      });
      const result = await read(sourceMysql, config, configure(stream, "full_refresh"));
      expect(result.records.map((r) => r.data.flag)).toEqual([1, 0, null]);
    });
  },
);
