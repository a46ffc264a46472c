import { runConnector } from "@weir/cdk";
import type { InProcessResult } from "@weir/cdk/testing";
import { createTestDatabase, probeTestServer, type TestDatabase } from "@weir/mysql-connection/testing";
import type { AirbyteMessage, AirbyteStateMessage } from "@weir/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { createSourceMysql } from "./source-mysql.js";
import { configure, discover, lastState, read, streamNamed } from "./test-reads.js";

const server = await probeTestServer();
// Tiny chunks and batches, so that a dozen rows cross several queries and checkpoints.
const source = createSourceMysql({ chunkRows: 7, batchRows: 3 });
let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

const ids = (result: InProcessResult) => result.records.map((r) => r.data.id);
const stateInput = (state: AirbyteStateMessage) => [state];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.skipIf(!server.ok)(
  server.ok ? "source-mysql reads" : `source-mysql reads (skipped: ${server.reason})`,
  () => {
    it("full refresh reads in primary-key chunks, and resumes after any checkpoint with no loss or repeat", async () => {
      db = await createTestDatabase("src_chunks");
      await db.sql("CREATE TABLE items (a INT, b VARCHAR(5), id INT NOT NULL, PRIMARY KEY (a, b))");
      const rows = range(1, 25).map((n) => `(${Math.ceil(n / 4)}, 'k${n % 4}', ${n})`);
      await db.sql(`INSERT INTO items VALUES ${rows.join(", ")}`);
      const stream = streamNamed(await discover(source, db.config), "items");
      const catalog = configure(stream, "full_refresh");
      const full = await read(source, db.config, catalog, undefined, 1);
      expect(full.errors).toEqual([]);
      const order = await db.sql<{ id: number }>("SELECT id FROM items ORDER BY a, b");
      expect(ids(full)).toEqual(order.map((r) => r.id));
      expect(full.traces.some((t) => t.type === "ESTIMATE" && t.estimate?.row_estimate !== undefined)).toBe(
        true,
      );
      expect(full.states.at(-1)?.stream?.stream_state).toEqual({
        version: 2,
        state_type: "full_refresh_complete",
      });
      const checkpoints = full.states.slice(0, -1);
      expect(checkpoints.length).toBeGreaterThan(5);
      let delivered = 0;
      for (const state of checkpoints) {
        delivered += state.sourceStats?.recordCount ?? 0;
        const resumed = await read(source, db.config, catalog, stateInput(state));
        expect(resumed.errors).toEqual([]);
        expect(ids(resumed)).toEqual(ids(full).slice(delivered));
      }
      // After a complete full refresh, the next one starts over.
      expect(ids(await read(source, db.config, catalog, lastState(full)))).toEqual(ids(full));
    });

    it("a table dropped during a read fails with a clear config error after checkpointing what was read", async () => {
      db = await createTestDatabase("src_dropped");
      await db.sql("CREATE TABLE items (id INT PRIMARY KEY)");
      await db.sql(
        `INSERT INTO items VALUES ${range(1, 20)
          .map((n) => `(${n})`)
          .join(", ")}`,
      );
      const catalog = configure(streamNamed(await discover(source, db.config), "items"), "full_refresh");
      const messages: AirbyteMessage[] = [];
      let dropped = false;
      for await (const batch of runConnector(
        source,
        { command: "read", config: db.config, catalog },
        { checkpointEvery: 1 },
      )) {
        messages.push(...batch);
        if (!dropped && batch.some((m) => m.type === "RECORD")) {
          dropped = true;
          await db.sql("DROP TABLE items");
        }
      }
      const error = messages.find((m) => m.type === "TRACE" && m.trace.type === "ERROR");
      expect(error?.type === "TRACE" ? error.trace.error : undefined).toMatchObject({
        failure_type: "config_error",
        message: expect.stringMatching(/doesn't exist.*dropped or altered during the sync/),
      });
      const states = messages.flatMap((m) => (m.type === "STATE" ? [m.state] : []));
      const delivered = messages.filter((m) => m.type === "RECORD").length;
      expect(delivered).toBeGreaterThan(0);
      expect(states.at(-1)?.stream?.stream_state).toEqual({
        version: 2,
        state_type: "primary_key",
        pk_name: "id",
        pk_val: String(delivered),
      });
      // The retry starts from that checkpoint.
      await db.sql("CREATE TABLE items (id INT PRIMARY KEY)");
      await db.sql(
        `INSERT INTO items VALUES ${range(1, 20)
          .map((n) => `(${n})`)
          .join(", ")}`,
      );
      const resumed = await read(source, db.config, catalog, [states.at(-1) as AirbyteStateMessage]);
      expect(ids(resumed)).toEqual(range(delivered + 1, 20));
    });

    it("incremental breaks cursor ties by primary key: no loss and no repeat inside a run of equal values", async () => {
      db = await createTestDatabase("src_ties");
      await db.sql(
        "CREATE TABLE events (id INT PRIMARY KEY, updated_at DATETIME NOT NULL, INDEX (updated_at))",
      );
      const at = (n: number) =>
        n <= 4 ? `2024-01-0${n} 00:00:00` : n <= 16 ? "2024-01-05 00:00:00" : `2024-01-${n} 00:00:00`;
      await db.sql(
        `INSERT INTO events VALUES ${range(1, 20)
          .map((n) => `(${n}, '${at(n)}')`)
          .join(", ")}`,
      );
      const events = streamNamed(await discover(source, db.config), "events");
      expect(events.default_cursor_field).toEqual(["updated_at"]);
      const catalog = configure(events, "incremental", ["updated_at"]);
      const first = await read(source, db.config, catalog, undefined, 1);
      expect(first.errors).toEqual([]);
      expect(ids(first)).toEqual(range(1, 20));
      // Resume from every checkpoint, including those inside the twelve rows of 2024-01-05.
      let delivered = 0;
      for (const state of first.states) {
        delivered += state.sourceStats?.recordCount ?? 0;
        const resumed = await read(source, db.config, catalog, stateInput(state));
        expect(ids(resumed)).toEqual(range(delivered + 1, 20));
      }
      const inTies = first.states.find(
        (s) => (s.stream?.stream_state as { cursor?: string } | undefined)?.cursor === "2024-01-05 00:00:00",
      );
      expect(inTies?.stream?.stream_state).toMatchObject({
        cursor_record_count: expect.any(Number),
        pk_name: "id",
        cursor_pk_val: [expect.any(String)],
      });
      // A late row with the last cursor value, a new one, and an update are all picked up once.
      await db.sql("INSERT INTO events VALUES (21, '2024-01-20 00:00:00'), (22, '2024-01-21 00:00:00')");
      await db.sql("UPDATE events SET updated_at = '2024-01-22 00:00:00' WHERE id = 3");
      const next = await read(source, db.config, catalog, lastState(first));
      expect(ids(next)).toEqual([21, 22, 3]);
      const again = await read(source, db.config, catalog, lastState(next));
      expect(ids(again)).toEqual([]);
      expect(again.states).toHaveLength(1);
    });

    it("incremental on a cursor without an index reads in one ordered query, still resumable", async () => {
      db = await createTestDatabase("src_noindex");
      await db.sql("CREATE TABLE events (id INT PRIMARY KEY, version INT)");
      await db.sql(
        `INSERT INTO events VALUES ${range(1, 15)
          .map((n) => `(${n}, ${n % 3})`)
          .join(", ")}`,
      );
      const catalog = configure(streamNamed(await discover(source, db.config), "events"), "incremental", [
        "version",
      ]);
      const first = await read(source, db.config, catalog, undefined, 1);
      const expected = range(1, 15).sort((a, b) => (a % 3) - (b % 3) || a - b);
      expect(ids(first)).toEqual(expected);
      const middle = first.states[2] as AirbyteStateMessage;
      const resumed = await read(source, db.config, catalog, [middle]);
      expect(ids(resumed)).toEqual(expected.slice(9));
    });

    it("incremental without a primary key resumes by cursor value and count, and takes Airbyte's state", async () => {
      db = await createTestDatabase("src_nokey");
      await db.sql("CREATE TABLE log (msg VARCHAR(10), day DATE)");
      await db.sql(
        `INSERT INTO log VALUES ${range(1, 10)
          .map((n) => `('m${n}', '2024-01-0${n <= 3 ? 1 : n <= 8 ? 2 : 3}')`)
          .join(", ")}`,
      );
      const stream = streamNamed(await discover(source, db.config), "log");
      const catalog = configure(stream, "incremental", ["day"]);
      const first = await read(source, db.config, catalog, undefined, 1);
      expect(first.records).toHaveLength(10);
      let delivered = 0;
      for (const state of first.states) {
        delivered += state.sourceStats?.recordCount ?? 0;
        const resumed = await read(source, db.config, catalog, stateInput(state));
        expect(resumed.records).toHaveLength(10 - delivered);
      }
      const airbyteState = [
        {
          type: "STREAM" as const,
          stream: {
            stream_descriptor: { name: "log", namespace: db.name },
            stream_state: {
              cursor_field: ["day"],
              cursor: "2024-01-02",
              cursor_record_count: 5,
              state_type: "cursor_based",
              version: 2,
            },
          },
        },
      ];
      const fromAirbyte = await read(source, db.config, catalog, airbyteState);
      expect(fromAirbyte.records.map((r) => r.data.msg)).toEqual(["m9", "m10"]);
      // Without a cursor and without a key, incremental is refused.
      const noCursor = await read(source, db.config, configure(stream, "incremental"));
      expect(noCursor.errors[0]).toMatchObject({
        failure_type: "config_error",
        message: expect.stringMatching(/needs a cursor_field/),
      });
    });

    it("refuses cursors that cannot order, and columns that no longer exist", async () => {
      db = await createTestDatabase("src_refuse");
      await db.sql("CREATE TABLE t (id INT PRIMARY KEY, doc JSON, gone INT)");
      const stream = streamNamed(await discover(source, db.config), "t");
      const json = await read(source, db.config, configure(stream, "incremental", ["doc"]));
      expect(json.errors[0]).toMatchObject({
        failure_type: "config_error",
        message: expect.stringMatching(/"doc" cannot be a cursor/),
      });
      await db.sql("ALTER TABLE t DROP COLUMN gone");
      const altered = await read(source, db.config, configure(stream, "full_refresh"));
      expect(altered.errors[0]).toMatchObject({
        failure_type: "config_error",
        message: expect.stringMatching(/"gone" no longer exist.*run discover again/),
      });
    });
  },
);
