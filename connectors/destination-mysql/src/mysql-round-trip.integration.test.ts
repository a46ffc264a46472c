import { messageInput, runInProcess } from "@weir/cdk/testing";
import { quoteIdentifier as q } from "@weir/mysql-connection";
import { createTestDatabase, probeTestServer, type TestDatabase } from "@weir/mysql-connection/testing";
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from "@weir/protocol";
import { sourceMysql } from "@weir/source-mysql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDestinationMysql, destinationMysql } from "./destination-mysql.js";

const server = await probeTestServer();
let source: TestDatabase;
let target: TestDatabase;

const TABLE = "Round Trip ☃";
// Columns compared as values (numbers exactly, temporal values as instants) or as bytes (text).
const VALUE_COLUMNS = [
  "big_unsigned",
  "big_signed",
  "dec_wide",
  "dec_money",
  "dbl",
  "flag",
  "yr",
  "d",
  "dt",
  "ts",
  "tm",
  "blb",
  "bin",
];
const TEXT_COLUMNS = ["js", "txt", "vc", "Straße", "en"];

beforeAll(async () => {
  if (!server.ok) return;
  source = await createTestDatabase("rt_src");
  target = await createTestDatabase("rt_dst");
  await source.sql(`CREATE TABLE ${q(TABLE)} (
    id INT PRIMARY KEY, big_unsigned BIGINT UNSIGNED, big_signed BIGINT, dec_wide DECIMAL(65,30), dec_money DECIMAL(10,2),
    dbl DOUBLE, flag TINYINT(1), yr YEAR, d DATE, dt DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(6), blb BLOB, bin VARBINARY(8),
    js JSON, txt TEXT, vc VARCHAR(30), \`Straße\` VARCHAR(10), en ENUM('x','y'))`);
  await source.sql(`INSERT INTO ${q(TABLE)} VALUES
    (1, 18446744073709551615, -9223372036854775808, 12345678901234567890123456789012345.123456789012345678901234567890,
     -99999999.99, 0.30000000000000004, 1, 1901, '1000-01-01', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999',
     '23:59:59.999999', X'00FF00', X'', '{"big": 12345678901234567890, "list": [1.10, "é"]}',
     'quote '' double " backslash \\\\ tab \t newline \n cr \r 🎉 emoji', '', 'groß', 'y'),
    (2, 9007199254740993, 9007199254740993, -0.000000000000000000000000000001, 0.01, -1.5e300, 0, 2155, '2024-02-29',
     '1970-01-01 00:00:00', '1970-01-01 00:00:01', '00:00:00', NULL, X'DEADBEEF', '[]', NULL, NULL, NULL, NULL),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (4, 0, 0, 0, 0, 0, NULL, NULL, '0000-00-00', '0000-00-00 00:00:00', NULL, NULL, NULL, NULL, 'null', 'x', 'x', 'x', 'x')`);
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

/** Reads the table with source-mysql, then writes it with the destination into the target database. */
async function roundTrip(destination = destinationMysql): Promise<readonly AirbyteMessage[]> {
  const discovered = await runInProcess(sourceMysql, { command: "discover", config: source.config });
  const stream = discovered.catalog?.streams.find((s) => s.name === TABLE);
  if (stream === undefined) throw new Error("not discovered");
  const catalog: ConfiguredAirbyteCatalog = {
    streams: [
      {
        stream,
        sync_mode: "full_refresh",
        destination_sync_mode: "overwrite",
        generation_id: 1,
        minimum_generation_id: 1,
        sync_id: 1,
      },
    ],
  };
  const read = await runInProcess(sourceMysql, { command: "read", config: source.config, catalog });
  expect(read.errors).toEqual([]);
  // What a platform's namespace setting does: the streams go to the destination's own database.
  const withoutNamespace = read.messages.map((m): AirbyteMessage => {
    if (m.type === "RECORD") return { ...m, record: { ...m.record, namespace: undefined } };
    if (m.type === "STATE" && m.state.stream) {
      return {
        ...m,
        state: { ...m.state, stream: { ...m.state.stream, stream_descriptor: { name: TABLE } } },
      };
    }
    if (m.type === "TRACE" && m.trace.stream_status) {
      return {
        ...m,
        trace: {
          ...m.trace,
          stream_status: { ...m.trace.stream_status, stream_descriptor: { name: TABLE } },
        },
      };
    }
    return m;
  });
  const written = await runInProcess(destination, {
    command: "write",
    config: target.config,
    catalog: { streams: catalog.streams.map((s) => ({ ...s, stream: { ...s.stream, namespace: null } })) },
    input: messageInput(withoutNamespace, 2),
  });
  expect(written.errors).toEqual([]);
  expect(written.states).toHaveLength(1);
  return written.messages;
}

/** Rows whose column differs between source and copy (zero dates excepted: they become NULL). */
async function differences(): Promise<unknown[]> {
  const s = `${q(source.name)}.${q(TABLE)}`;
  const d = `${q(target.name)}.${q(TABLE)}`;
  const checks = [
    ...VALUE_COLUMNS.map((c) => `NOT (s.${q(c)} <=> d.${q(c)}) AS ${q(c)}`),
    ...TEXT_COLUMNS.map((c) => `NOT (CAST(s.${q(c)} AS BINARY) <=> CAST(d.${q(c)} AS BINARY)) AS ${q(c)}`),
  ];
  const rows = await source.sql<Record<string, unknown>>(
    `SELECT s.id, ${checks.join(", ")} FROM ${s} s LEFT JOIN ${d} d ON d.id = s.id WHERE s.id <> 4 ORDER BY s.id`,
  );
  return rows.flatMap((row) =>
    Object.entries(row)
      .filter(([column, differs]) => column !== "id" && Number(differs) !== 0)
      .map(([column]) => `row ${row.id}: ${column}`),
  );
}

describe.skipIf(!server.ok)(
  server.ok ? "source-mysql → destination-mysql" : `round trip (skipped: ${server.reason})`,
  () => {
    it("every value survives exactly: DECIMAL(65,30), BIGINT UNSIGNED max, instants, bytes, JSON, odd text", async () => {
      await roundTrip();
      expect(await differences()).toEqual([]);
      const [types] = await target.sql<Record<string, string>>(
        "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE) ORDER BY ORDINAL_POSITION SEPARATOR ', ') AS t " +
          "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
        [target.name, TABLE],
      );
      expect(types?.t).toContain(
        "big_unsigned bigint(20) unsigned, big_signed bigint(20), dec_wide decimal(65,30), dec_money decimal(10,2)",
      );
      expect(types?.t).toContain(
        "d date, dt datetime(6), ts datetime(6), tm time(6), blb longblob, bin longblob",
      );
      const [zero] = await target.sql<Record<string, unknown>>(
        `SELECT d, dt, _airbyte_meta AS meta FROM ${q(TABLE)} WHERE id = 4`,
      );
      expect(zero).toEqual({ d: null, dt: null, meta: '{"sync_id":1,"changes":[]}' });
      // The comparison sees a change in the 30th decimal place, or one byte of text.
      await target.sql(
        `UPDATE ${q(TABLE)} SET dec_wide = dec_wide + 0.000000000000000000000000000001, txt = CONCAT(txt, ' ') WHERE id = 1`,
      );
      expect(await differences()).toEqual(["row 1: dec_wide", "row 1: txt"]);
    });

    it("the multi-row INSERT path gives the same copy", async () => {
      await target.sql(`DROP TABLE ${q(TABLE)}`);
      await roundTrip(createDestinationMysql({ batchBytes: 100, format: "insert" }));
      expect(await differences()).toEqual([]);
    });
  },
);
