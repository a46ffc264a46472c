import { createTestDatabase, probePostgres, type TestDatabase } from "@weir/postgres-connection/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSourcePostgres } from "./source-postgres.js";
import { recordsBeforeState, SourceTestReads } from "./source-test-reads.js";

const server = await probePostgres();
const tiny = createSourcePostgres({ chunkRows: 7, chunkPages: 1, batch: { rows: 3, bytes: 1 << 20 } });

describe.skipIf(!server.ok)("source-postgres: resumable reads", () => {
  let db: TestDatabase;
  let reads: SourceTestReads;
  beforeAll(async () => {
    db = await createTestDatabase("srcresume");
    reads = new SourceTestReads(tiny, { ...db.config, ssl_mode: { mode: "disable" } });
    await db.query(`
      CREATE TABLE pairs (a int, b text, v text, PRIMARY KEY (b, a));
      INSERT INTO pairs SELECT g % 5, 'k' || (g / 5), 'v' || g FROM generate_series(0, 49) g;
      CREATE TABLE heap (n int, pad text);
      INSERT INTO heap SELECT g, repeat('x', 500) FROM generate_series(1, 200) g;
      CREATE TABLE ticks (id int PRIMARY KEY, at int);
      INSERT INTO ticks SELECT g, g / 10 FROM generate_series(1, 40) g;
    `);
  });
  afterAll(() => db?.drop());

  it("a full refresh by composite key resumes after any state: every row exactly once", async () => {
    const catalog = await reads.configure(["pairs"], "full_refresh");
    const whole = await reads.read(catalog);
    expect(whole.errors).toEqual([]);
    expect(whole.records).toHaveLength(50);
    expect(whole.states.at(-1)?.stream?.stream_state).toEqual({
      version: 2,
      state_type: "full_refresh_complete",
    });
    for (const index of [0, 3, whole.states.length - 2]) {
      const state = whole.states[index];
      if (state === undefined) throw new Error("missing state");
      expect(state.stream?.stream_state, `state ${index} of ${whole.states.length}`).toMatchObject({
        state_type: "primary_key",
        pk_name: ["b", "a"],
      });
      const before = recordsBeforeState(whole, index);
      const rest = await reads.read(catalog, [state]);
      expect(rest.errors).toEqual([]);
      const ids = [...before, ...rest.records.map((r) => r.data)].map((d) => `${d.b}/${d.a}`);
      expect(ids.sort()).toEqual(whole.records.map((r) => `${r.data.b}/${r.data.a}`).sort());
      expect(new Set(ids).size).toBe(50);
    }
  });

  it("a table without a key is read by page ranges and resumes at a page", async () => {
    const catalog = await reads.configure(["heap"], "full_refresh");
    const whole = await reads.read(catalog);
    expect(whole.errors).toEqual([]);
    expect(whole.records.map((r) => r.data.n).sort((x, y) => Number(x) - Number(y))).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    const pageStates = whole.states.filter(
      (s) => (s.stream?.stream_state as { state_type?: string } | undefined)?.state_type === "ctid",
    );
    expect(pageStates.length).toBeGreaterThan(5);
    const index = whole.states.indexOf(pageStates[4] as (typeof pageStates)[number]);
    const before = recordsBeforeState(whole, index);
    const rest = await reads.read(catalog, [whole.states[index] as (typeof pageStates)[number]]);
    const all = [...before, ...rest.records.map((r) => r.data)].map((d) => d.n);
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
  });

  it("a state from a rewritten table (VACUUM FULL) starts the table over", async () => {
    const catalog = await reads.configure(["heap"], "full_refresh");
    const whole = await reads.read(catalog);
    const state = whole.states.find(
      (s) => (s.stream?.stream_state as { state_type?: string } | undefined)?.state_type === "ctid",
    );
    await db.query("VACUUM FULL heap");
    const again = await reads.read(catalog, [state as NonNullable<typeof state>]);
    expect(again.records).toHaveLength(200);
    expect(again.logs.map((l) => l.message).join("\n")).toMatch(/rewritten/);
  });

  it("incremental: rows sharing a cursor value are neither lost nor repeated across interruptions", async () => {
    const catalog = await reads.configure(["ticks"], "incremental", "at");
    const whole = await reads.read(catalog);
    expect(whole.records).toHaveLength(40);
    // Every state is a place a sync could have stopped: the rest must be exactly what followed.
    for (let index = 0; index < whole.states.length; index++) {
      const state = whole.states[index] as (typeof whole.states)[number];
      const before = recordsBeforeState(whole, index).map((d) => d.id);
      const rest = await reads.read(catalog, [state]);
      expect(rest.errors).toEqual([]);
      expect([...before, ...rest.records.map((r) => r.data.id)]).toEqual(whole.records.map((r) => r.data.id));
    }
    const last = whole.states.at(-1);
    expect(last?.stream?.stream_state).toMatchObject({
      state_type: "cursor_based",
      cursor_field: ["at"],
      cursor: "4",
      cursor_record_count: 1,
    });
    const nothing = await reads.read(catalog, [last as NonNullable<typeof last>]);
    expect(nothing.records).toEqual([]);
  });

  it("incremental: new rows at the last cursor value are read; a key before the last one re-reads that value only", async () => {
    await db.query(
      "CREATE TABLE marks (id int PRIMARY KEY, at int); INSERT INTO marks VALUES (10, 1), (20, 2), (30, 2)",
    );
    const catalog = await reads.configure(["marks"], "incremental", "at");
    const first = await reads.read(catalog);
    expect(first.records.map((r) => r.data.id)).toEqual([10, 20, 30]);
    const state = first.states.at(-1) as NonNullable<(typeof first.states)[number]>;
    await db.query("INSERT INTO marks VALUES (40, 2), (50, 3)");
    const second = await reads.read(catalog, [state]);
    expect(second.records.map((r) => r.data.id)).toEqual([40, 50]);
    const after = second.states.at(-1) as NonNullable<(typeof second.states)[number]>;
    await db.query("INSERT INTO marks VALUES (5, 3), (60, 4)");
    const third = await reads.read(catalog, [after]);
    // id 5 sorts before the last key at cursor 3: the rows at 3 come again rather than 5 being lost.
    expect(third.records.map((r) => r.data.id)).toEqual([5, 50, 60]);
  });

  it("a table altered or dropped during a sync fails with an error that says so", async () => {
    await db.query(
      "CREATE TABLE doomed (id int PRIMARY KEY, v int); INSERT INTO doomed SELECT g, g FROM generate_series(1, 30) g",
    );
    const catalog = await reads.configure(["doomed"], "full_refresh");
    const { runConnector } = await import("@weir/cdk");
    const readWith = async (change: string) => {
      let changed = false;
      const errors: string[] = [];
      for await (const batch of runConnector(
        tiny,
        { command: "read", config: reads.config, catalog },
        { checkpointEvery: 1 },
      )) {
        for (const message of batch) {
          if (message.type === "TRACE" && message.trace.error)
            errors.push(`${message.trace.error.failure_type}: ${message.trace.error.message}`);
        }
        if (!changed && batch.some((m) => m.type === "RECORD")) {
          changed = true;
          await db.query(change);
        }
      }
      return errors;
    };
    expect(await readWith("ALTER TABLE doomed ALTER COLUMN v TYPE text")).toEqual([
      'config_error: "public"."doomed" was altered (column "v" changed type from integer to text) during the sync: refresh the source schema and sync again',
    ]);
    await db.query(
      "DROP TABLE doomed; CREATE TABLE doomed (id int PRIMARY KEY, v int); INSERT INTO doomed SELECT g, g FROM generate_series(1, 30) g",
    );
    const dropped = await readWith("DROP TABLE doomed");
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatch(/^config_error: "public"."doomed" was dropped/);
  });
});
