import type { DestinationWriter, RecordData } from "@weir/cdk";
import { runInProcess } from "@weir/cdk/testing";
import { createTestDatabase, probeTestServer, type TestDatabase } from "@weir/mysql-connection/testing";
import type { AirbyteRecordMessage, ConfiguredAirbyteStream } from "@weir/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { createDestinationMysql, destinationMysql } from "./destination-mysql.js";
import type { DestinationMysqlConfig } from "./destination-spec.js";
import { testRecord, testStream, writeGroups } from "./test-writes.js";

const server = await probeTestServer();
let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

const USERS = {
  id: { type: "integer" },
  name: { type: ["null", "string"] },
  updated_at: { type: "integer" },
};
const user = (id: number, name: string, updated_at = 1, emittedAt = 1_700_000_000_000) =>
  testRecord("users", { id, name, updated_at }, emittedAt);
const rows = async (sql = "SELECT id, name FROM users ORDER BY id, name") =>
  (await (db as TestDatabase).sql<Record<string, unknown>>(sql)).map((r) => ({ ...r }));
const tables = async () =>
  (
    await (db as TestDatabase).sql<{ t: string }>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
    )
  ).map((r) => r.t);

async function openWriter(
  config: DestinationMysqlConfig,
  streams: ConfiguredAirbyteStream[],
): Promise<DestinationWriter> {
  return destinationMysql.open({
    config,
    catalog: { streams },
    logger: { log: () => undefined },
    signal: new AbortController().signal,
  });
}
const records = (...messages: ReturnType<typeof user>[]) =>
  messages
    .map((m) => (m.type === "RECORD" ? m.record : undefined))
    .filter((r): r is AirbyteRecordMessage => r !== undefined);

describe.skipIf(!server.ok)(
  server.ok ? "destination-mysql sync modes" : `destination-mysql sync modes (skipped: ${server.reason})`,
  () => {
    it("append adds the rows of every run, with Airbyte's meta columns", async () => {
      db = await createTestDatabase("dst_append");
      const stream = testStream("users", USERS);
      const first = await writeGroups(
        destinationMysql,
        db.config,
        [stream],
        [[user(1, "a"), user(2, "b")], [user(3, "c")]],
      );
      expect(first.errors).toEqual([]);
      expect(first.states.map((s) => s.destinationStats?.recordCount)).toEqual([2, 1]);
      await writeGroups(destinationMysql, db.config, [stream], [[user(2, "b2")]]);
      expect(await rows()).toEqual([
        { id: 1, name: "a" },
        { id: 2, name: "b" },
        { id: 2, name: "b2" },
        { id: 3, name: "c" },
      ]);
      const [meta] = await db.sql<Record<string, unknown>>(
        "SELECT LENGTH(_airbyte_raw_id) AS raw_id, DATE_FORMAT(_airbyte_extracted_at, '%Y-%m-%dT%T.%f') AS extracted, " +
          "_airbyte_meta AS meta, _airbyte_generation_id AS generation FROM users WHERE id = 1",
      );
      expect(meta).toEqual({
        raw_id: 36,
        extracted: "2023-11-14T22:13:20.000000",
        meta: '{"sync_id":42,"changes":[]}',
        generation: 1,
      });
    });

    it("overwrite builds the new table aside: readers keep the old rows until a complete run swaps it in", async () => {
      db = await createTestDatabase("dst_overwrite");
      const stream = testStream("users", USERS, { mode: "overwrite" });
      await writeGroups(destinationMysql, db.config, [stream], [[user(1, "old"), user(2, "old")]]);

      const writer = await openWriter(db.config, [stream]);
      expect([...(writer.deferredStreams ?? [])]).toEqual(["users"]);
      await writer.write(records(user(7, "new")));
      await writer.flush();
      expect(await rows()).toEqual([
        { id: 1, name: "old" },
        { id: 2, name: "old" },
      ]);
      await writer.close({ ok: false, completeStreams: new Set(["users"]) });
      expect(await rows()).toHaveLength(2);
      expect(await tables()).toEqual(["users"]);

      const incomplete = await writeGroups(destinationMysql, db.config, [stream], [[user(8, "new")]], {
        complete: [],
      });
      expect(incomplete.logs.some((l) => l.level === "WARN" && l.message.includes("did not complete"))).toBe(
        true,
      );
      expect(await rows()).toHaveLength(2);

      const complete = await writeGroups(
        destinationMysql,
        db.config,
        [stream],
        [[user(8, "new")], [user(9, "new")]],
      );
      expect(complete.states).toHaveLength(2);
      expect(await rows()).toEqual([
        { id: 8, name: "new" },
        { id: 9, name: "new" },
      ]);
      expect(await tables()).toEqual(["users"]);
    });

    it("append_dedup keeps the latest row per key across flushes and runs, by cursor, then extraction time", async () => {
      db = await createTestDatabase("dst_dedup");
      const stream = testStream("users", USERS, {
        mode: "append_dedup",
        primaryKey: ["id"],
        cursor: "updated_at",
      });
      const first = await writeGroups(
        destinationMysql,
        db.config,
        [stream],
        [
          [user(1, "a1", 1), user(2, "b1", 1), user(1, "a2", 2)],
          [user(2, "b0", 0), user(3, "c1", 5)],
        ],
      );
      expect(first.errors).toEqual([]);
      expect(await rows()).toEqual([
        { id: 1, name: "a2" },
        { id: 2, name: "b1" },
        { id: 3, name: "c1" },
      ]);
      // Same cursor, later extraction wins; an older cursor never replaces a newer row.
      await writeGroups(
        destinationMysql,
        db.config,
        [stream],
        [[user(3, "c2", 5, 1_800_000_000_000), user(1, "a0", 1)]],
      );
      expect(await rows()).toEqual([
        { id: 1, name: "a2" },
        { id: 2, name: "b1" },
        { id: 3, name: "c2" },
      ]);
    });

    it("append_dedup keys compare exactly (case, trailing spaces) and a CDC delete removes the key", async () => {
      db = await createTestDatabase("dst_dedup_keys");
      const props = {
        code: { type: "string" },
        v: { type: "integer" },
        _ab_cdc_deleted_at: { type: ["null", "string"] },
      };
      const stream = testStream("codes", props, { mode: "append_dedup", primaryKey: ["code"], cursor: "v" });
      const code = (c: string, v: number, deleted: string | null = null) =>
        testRecord("codes", { code: c, v, _ab_cdc_deleted_at: deleted });
      await writeGroups(
        destinationMysql,
        db.config,
        [stream],
        [[code("a", 1), code("A", 1), code("a ", 1), code("gone", 1)]],
      );
      await writeGroups(
        destinationMysql,
        db.config,
        [stream],
        [[code("a", 2), code("gone", 2, "2024-01-01T00:00:00Z")]],
      );
      expect(await rows("SELECT CONCAT('[', code, ']') AS code, v FROM codes ORDER BY code")).toEqual([
        { code: "[A]", v: 1 },
        { code: "[a ]", v: 1 },
        { code: "[a]", v: 2 },
      ]);
    });

    it("adds columns new in the schema, and nulls values that do not fit with a change in _airbyte_meta", async () => {
      db = await createTestDatabase("dst_evolve");
      await writeGroups(destinationMysql, db.config, [testStream("users", USERS)], [[user(1, "a")]]);
      const wider = testStream("users", {
        ...USERS,
        age: { type: "integer" },
        born: { type: "string", format: "date" },
      });
      const result = await writeGroups(
        destinationMysql,
        db.config,
        [wider],
        [
          [
            testRecord("users", { id: 2, name: "b", age: 30, born: "1990-02-28" }),
            testRecord("users", { id: 3, name: "c", age: "old", born: "1990-02-30" }),
            testRecord("users", { id: "99999999999999999999", name: 5 }),
          ],
        ],
      );
      expect(result.errors).toEqual([]);
      expect(result.logs.some((l) => l.message.includes('Added columns "age", "born"'))).toBe(true);
      expect(await rows("SELECT id, name, age, born, _airbyte_meta AS meta FROM users ORDER BY id")).toEqual([
        {
          id: null,
          name: "5",
          age: null,
          born: null,
          meta: expect.stringContaining(
            '"field":"id","change":"NULLED","reason":"DESTINATION_FIELD_SIZE_LIMITATION"',
          ),
        },
        { id: 1, name: "a", age: null, born: null, meta: '{"sync_id":42,"changes":[]}' },
        { id: 2, name: "b", age: 30, born: "1990-02-28", meta: '{"sync_id":42,"changes":[]}' },
        {
          id: 3,
          name: "c",
          age: null,
          born: null,
          meta:
            '{"sync_id":42,"changes":[{"field":"age","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"},' +
            '{"field":"born","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"}]}',
        },
      ]);
    });

    it("writes the same values with multi-row INSERT (servers with local_infile off), in small batches", async () => {
      db = await createTestDatabase("dst_insert");
      const odd = "quote ' double \" backslash \\ tab \t newline \n cr \r nul-free 🎉";
      for (const format of ["insert", "load_data"] as const) {
        const destination = createDestinationMysql({ batchBytes: 300, format });
        const props = {
          id: { type: "integer" },
          text: { type: "string" },
          bin: { type: "string", contentEncoding: "base64" },
        };
        const stream = testStream(`t_${format}`, props);
        const many = Array.from({ length: 40 }, (_, i) =>
          testRecord(`t_${format}`, {
            id: i,
            text: `${odd} ${i}`,
            bin: Buffer.from([i, 0, 255]).toString("base64"),
          }),
        );
        const result = await writeGroups(
          destination,
          db.config,
          [stream],
          [many.slice(0, 25), many.slice(25)],
        );
        expect(result.errors).toEqual([]);
        const back = await db.sql<{ id: string; text: string; bin: Buffer }>(
          `SELECT id, text, bin FROM t_${format} ORDER BY id`,
        );
        expect(back).toHaveLength(40);
        expect(back[7]?.text).toBe(`${odd} 7`);
        expect([...(back[7]?.bin ?? [])]).toEqual([7, 0, 255]);
      }
    });

    it("refreshes: a truncating generation swaps in; minimum_generation_id drops older generations when complete", async () => {
      db = await createTestDatabase("dst_generations");
      await writeGroups(
        destinationMysql,
        db.config,
        [testStream("users", USERS, { generationId: 1 })],
        [[user(1, "g1")]],
      );
      const retain = testStream("users", USERS, { generationId: 2, minimumGenerationId: 0 });
      await writeGroups(destinationMysql, db.config, [retain], [[user(2, "g2")]]);
      expect(await rows()).toHaveLength(2);
      const drop = testStream("users", USERS, { generationId: 3, minimumGenerationId: 2 });
      await writeGroups(destinationMysql, db.config, [drop], [[user(3, "g3")]]);
      expect(await rows()).toEqual([
        { id: 2, name: "g2" },
        { id: 3, name: "g3" },
      ]);
      const truncate = testStream("users", USERS, { generationId: 4, minimumGenerationId: 4 });
      await writeGroups(destinationMysql, db.config, [truncate], [[user(4, "g4")]]);
      expect(await rows()).toEqual([{ id: 4, name: "g4" }]);
    });

    it("names: namespaces become databases; odd, mixed-case, unicode and long names work", async () => {
      db = await createTestDatabase("dst_names");
      const other = `${db.name}_ns`;
      const long = "a very long field name that goes on and on past what MySQL allows in a column name";
      const stream = testStream("Mixed Case ☃ `quoted` 🎉", {
        Id: { type: "integer" },
        ID: { type: "integer" },
        [long]: { type: "string" },
      });
      const namespaced = { ...stream, stream: { ...stream.stream, namespace: other } };
      const record: RecordData = { Id: 1, ID: 2, [long]: "x" };
      const result = await runInProcess(destinationMysql, {
        command: "write",
        config: db.config,
        catalog: { streams: [namespaced] },
        input: (async function* () {
          yield [
            {
              type: "RECORD",
              record: { namespace: other, stream: stream.stream.name, data: record, emitted_at: 1 },
            },
          ];
        })(),
      });
      try {
        expect(result.errors).toEqual([]);
        const columns = await db.sql<{ c: string }>(
          "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
          [other, "Mixed Case ☃ `quoted` _"],
        );
        expect(columns.map((c) => c.c).slice(4)).toEqual([
          "Id",
          "ID_2",
          expect.stringMatching(/^a very long field name.{30,}_[0-9a-f]{8}$/),
        ]);
        expect(await db.sql(`SELECT Id, ID_2 FROM \`${other}\`.\`Mixed Case ☃ \`\`quoted\`\` _\``)).toEqual([
          { Id: 1, ID_2: 2 },
        ]);
      } finally {
        await db.sql(`DROP DATABASE IF EXISTS \`${other}\``);
      }
    });

    it("refuses to alter or replace a table no destination made (the source table, say)", async () => {
      db = await createTestDatabase("dst_foreign");
      await db.sql("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))");
      await db.sql("INSERT INTO users VALUES (1, 'mine')");
      for (const mode of ["append", "overwrite", "append_dedup"] as const) {
        const stream = testStream("users", USERS, { mode, primaryKey: ["id"] });
        const result = await writeGroups(destinationMysql, db.config, [stream], [[user(2, "theirs")]]);
        expect(result.errors).toMatchObject([
          { failure_type: "config_error", message: expect.stringMatching(/was not made by a destination/) },
        ]);
      }
      expect(await rows()).toEqual([{ id: 1, name: "mine" }]);
      expect(await tables()).toEqual(["users"]);
      const [columns] = await db.sql<{ n: number }>(
        "SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users'",
      );
      expect(columns?.n).toBe(2);
    });

    it("a table dropped during a write fails with a clear config error", async () => {
      db = await createTestDatabase("dst_dropped");
      const writer = await openWriter(db.config, [testStream("users", USERS)]);
      await writer.write(records(user(1, "a")));
      await writer.flush();
      await db.sql("DROP TABLE users");
      await writer.write(records(user(2, "b")));
      await expect(writer.flush()).rejects.toMatchObject({
        failureType: "config_error",
        message: expect.stringMatching(/doesn't exist.*dropped or altered during the sync/),
      });
      await writer.close({ ok: false, completeStreams: new Set() });
    });

    it("wrong credentials: check FAILED and write a config_error TRACE, the password never shown", async () => {
      if (!server.ok) return;
      const config = {
        ...server.server,
        database: "mysql",
        username: "weir_nobody",
        password: "sekrit-pass",
        ssl_mode: { mode: "disabled" },
      };
      const check = await runInProcess(destinationMysql, { command: "check", config });
      expect(check.connectionStatus).toMatchObject({
        status: "FAILED",
        message: expect.stringMatching(/refused the login/),
      });
      const write = await writeGroups(
        destinationMysql,
        config,
        [testStream("users", USERS)],
        [[user(1, "a")]],
      );
      expect(write.states).toEqual([]);
      expect(write.errors).toMatchObject([{ failure_type: "config_error" }]);
      expect(JSON.stringify([check.messages, write.messages])).not.toContain("sekrit-pass");
    });
  },
);
