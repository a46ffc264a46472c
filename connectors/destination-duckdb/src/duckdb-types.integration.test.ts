import { afterEach, describe, expect, it } from "vitest";
import { DuckdbTestSession, testRecord, testStream } from "./duckdb-test-session.js";

const TYPED = {
  s: { type: ["null", "string"] },
  i: { type: "integer" },
  ni: { type: "number", airbyte_type: "integer" },
  n: { type: "number" },
  b: { type: "boolean" },
  d: { type: "string", format: "date" },
  ts: { type: "string", format: "date-time" },
  tsntz: { type: "string", format: "date-time", airbyte_type: "timestamp_without_timezone" },
  t: { type: "string", format: "time", airbyte_type: "time_without_timezone" },
  ttz: { type: "string", format: "time", airbyte_type: "time_with_timezone" },
  o: { type: "object", properties: { a: { type: "integer" } } },
  a: { type: "array" },
  u: { oneOf: [{ type: "string" }, { type: "integer" }] },
  k: { type: "potato" },
  ref: { $ref: "WellKnownTypes.json#/definitions/Integer" },
};

let session: DuckdbTestSession;
afterEach(() => session.remove());

const changesOf = (meta: unknown) => (JSON.parse(String(meta)) as { changes: unknown[] }).changes;

describe("destination-duckdb types", () => {
  it("creates typed columns, meta columns first", async () => {
    session = new DuckdbTestSession();
    await session.run([testStream("typed", TYPED)], [[testRecord("typed", { i: 1 })]]);
    const columns = await session.query(
      "SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = 'typed' ORDER BY column_index",
    );
    expect(columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      "_airbyte_raw_id VARCHAR",
      "_airbyte_extracted_at TIMESTAMP WITH TIME ZONE",
      "_airbyte_meta JSON",
      "_airbyte_generation_id BIGINT",
      "s VARCHAR",
      "i BIGINT",
      "ni BIGINT",
      "n DOUBLE",
      "b BOOLEAN",
      "d DATE",
      "ts TIMESTAMP WITH TIME ZONE",
      "tsntz TIMESTAMP",
      "t TIME",
      "ttz TIME WITH TIME ZONE",
      "o JSON",
      "a JSON",
      "u JSON",
      "k JSON",
      "ref BIGINT",
    ]);
  });

  it("stores good values exactly, with the meta columns filled", async () => {
    session = new DuckdbTestSession();
    const stream = testStream("typed", TYPED, { syncId: 77, generationId: 3, minimumGenerationId: 0 });
    const data = {
      s: "héllo \"quoted\" 'single' \u0000-free",
      i: 9_007_199_254_740_991,
      ni: -42,
      n: 0.1,
      b: false,
      d: "2021-01-23",
      ts: "2022-11-22T01:23:45.123456+05:00",
      tsntz: "2022-11-22T01:23:45",
      t: "01:23:45.5",
      ttz: "01:23:45+05:00",
      o: { a: 1, extra: [true] },
      a: [1, "x", null],
      u: 5,
      k: "potato",
      ref: "12",
    };
    await session.run([stream], [[testRecord("typed", data, { emittedAt: 1_700_000_000_123 })]]);
    const [row] = await session.query(
      "SELECT *, _airbyte_extracted_at::VARCHAR AS ext, ts::VARCHAR AS ts_text, o::VARCHAR AS o_text FROM typed",
    );
    expect(row).toMatchObject({
      s: data.s,
      i: "9007199254740991",
      ni: "-42",
      n: 0.1,
      b: false,
      d: "2021-01-23",
      ts_text: "2022-11-21 20:23:45.123456+00",
      tsntz: "2022-11-22 01:23:45",
      t: "01:23:45.5",
      ttz: "01:23:45+05",
      a: '[1,"x",null]',
      u: "5",
      k: '"potato"',
      ref: "12",
      ext: "2023-11-14 22:13:20.123+00",
      _airbyte_generation_id: "3",
    });
    expect(JSON.parse(String(row?.o_text))).toEqual(data.o);
    expect(String(row?._airbyte_raw_id)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(JSON.parse(String(row?._airbyte_meta))).toEqual({ sync_id: 77, changes: [] });
  });

  it("nulls values that do not fit their column and records why, keeping the source's changes", async () => {
    session = new DuckdbTestSession();
    const sourceChange = { field: "s", change: "TRUNCATED", reason: "SOURCE_FIELD_SIZE_LIMITATION" } as const;
    const bad = {
      s: 12,
      i: "abc",
      ni: 1.5,
      n: "not a number",
      b: "true",
      d: "2021-02-30",
      ts: "yesterday",
      tsntz: 1_700_000_000,
      t: "25:99",
      ttz: {},
      ref: 1e20,
    };
    const record = testRecord("typed", bad, { meta: { changes: [sourceChange] } });
    await session.run([testStream("typed", TYPED)], [[record]]);
    const [row] = await session.query("SELECT * FROM typed");
    expect(row).toMatchObject({
      s: "12",
      i: null,
      ni: null,
      n: null,
      b: null,
      d: null,
      ts: null,
      t: null,
      ref: null,
    });
    const changes = changesOf(row?._airbyte_meta);
    expect(changes[0]).toEqual(sourceChange);
    const byField = Object.fromEntries(
      changes.slice(1).map((c) => {
        const change = c as { field: string; change: string; reason: string };
        expect(change.change).toBe("NULLED");
        return [change.field, change.reason];
      }),
    );
    expect(byField).toEqual({
      i: "DESTINATION_SERIALIZATION_ERROR",
      ni: "DESTINATION_SERIALIZATION_ERROR",
      n: "DESTINATION_SERIALIZATION_ERROR",
      b: "DESTINATION_SERIALIZATION_ERROR",
      d: "DESTINATION_SERIALIZATION_ERROR",
      ts: "DESTINATION_SERIALIZATION_ERROR",
      tsntz: "DESTINATION_SERIALIZATION_ERROR",
      t: "DESTINATION_SERIALIZATION_ERROR",
      ttz: "DESTINATION_SERIALIZATION_ERROR",
      ref: "DESTINATION_FIELD_SIZE_LIMITATION",
    });
  });

  it("nulls integers beyond int64 and numbers beyond double with DESTINATION_FIELD_SIZE_LIMITATION", async () => {
    session = new DuckdbTestSession();
    const stream = testStream("big", {
      i: { type: "integer" },
      j: { type: "integer" },
      n: { type: "number" },
    });
    const records = [
      testRecord("big", { i: "9223372036854775807", j: -(2 ** 63), n: 1.7e308 }),
      testRecord("big", { i: "9223372036854775808", j: 2 ** 64, n: JSON.parse("1e400") }),
    ];
    await session.run([stream], [records]);
    const rows = await session.query(
      "SELECT i::VARCHAR AS i, j::VARCHAR AS j, n, _airbyte_meta FROM big ORDER BY i NULLS LAST",
    );
    expect(rows[0]).toMatchObject({ i: "9223372036854775807", j: "-9223372036854775808", n: 1.7e308 });
    expect(changesOf(rows[0]?._airbyte_meta)).toEqual([]);
    expect(rows[1]).toMatchObject({ i: null, j: null, n: null });
    expect(changesOf(rows[1]?._airbyte_meta)).toEqual(
      expect.arrayContaining(
        ["i", "j", "n"].map((field) => ({
          field,
          change: "NULLED",
          reason: "DESTINATION_FIELD_SIZE_LIMITATION",
        })),
      ),
    );
  });

  it("accepts numeric strings for numbers (the legacy type plan) and BC dates", async () => {
    session = new DuckdbTestSession();
    const stream = testStream("legacy", {
      n: { $ref: "WellKnownTypes.json#/definitions/Number" },
      i: { type: "integer" },
      d: { type: "string", format: "date" },
      ts: { type: "string", format: "date-time" },
    });
    await session.run(
      [stream],
      [[testRecord("legacy", { n: "12.5", i: " 7 ", d: "0044-03-15 BC", ts: "0044-03-15T12:00:00Z BC" })]],
    );
    const [row] = await session.query(
      "SELECT n, i, d::VARCHAR AS d, ts::VARCHAR AS ts, _airbyte_meta FROM legacy",
    );
    expect(row).toMatchObject({ n: 12.5, i: "7", d: "0044-03-15 (BC)", ts: "0044-03-15 (BC) 12:00:00+00" });
    expect(changesOf(row?._airbyte_meta)).toEqual([]);
  });

  it("drops undeclared fields, and keeps a schemaless stream's records whole in _airbyte_data", async () => {
    session = new DuckdbTestSession();
    await session.run(
      [testStream("declared", { id: { type: "integer" } }), testStream("schemaless", undefined)],
      [
        [
          testRecord("declared", { id: 1, extra: "dropped" }),
          testRecord("schemaless", { any: { thing: [1] } }),
        ],
      ],
    );
    const declared = await session.query(
      "SELECT * EXCLUDE (_airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta) FROM declared",
    );
    expect(declared).toEqual([{ _airbyte_generation_id: null, id: "1" }]);
    const [schemaless] = await session.query("SELECT _airbyte_data FROM schemaless");
    expect(JSON.parse(String(schemaless?._airbyte_data))).toEqual({ any: { thing: [1] } });
  });
});
