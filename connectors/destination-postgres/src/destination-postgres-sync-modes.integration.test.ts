import { runConnector } from "@weir/cdk";
import { messageInput, runInProcess } from "@weir/cdk/testing";
import { createTestDatabase, probePostgres, type TestDatabase } from "@weir/postgres-connection/testing";
import {
  type AirbyteMessage,
  type ConfiguredAirbyteCatalog,
  type DestinationSyncMode,
  recordMessage,
  streamStateMessage,
  streamStatusTrace,
} from "@weir/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDestinationPostgres, destinationPostgres } from "./destination-postgres.js";

const server = await probePostgres();

const userSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: ["null", "string"] },
    updated_at: { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
  },
};

function catalogOf(
  mode: DestinationSyncMode,
  schema: Record<string, unknown> = userSchema,
  extra: Record<string, unknown> = {},
): ConfiguredAirbyteCatalog {
  return {
    streams: [
      {
        stream: { name: "users", json_schema: schema, supported_sync_modes: ["full_refresh", "incremental"] },
        sync_mode: "incremental",
        destination_sync_mode: mode,
        cursor_field: ["updated_at"],
        primary_key: [["id"]],
        sync_id: 5,
        ...extra,
      },
    ],
  };
}

const user = (id: number, name: string | null, day: number) =>
  recordMessage("users", { id, name, updated_at: `2024-01-${String(day).padStart(2, "0")}T00:00:00Z` });
const state = (n: number) => streamStateMessage({ name: "users" }, { n }, 1);
const complete = streamStatusTrace({ name: "users" }, "COMPLETE");

describe.skipIf(!server.ok)("destination-postgres: sync modes", () => {
  let db: TestDatabase;
  let config: Record<string, unknown>;
  beforeAll(async () => {
    db = await createTestDatabase("dstmodes");
  });
  afterAll(() => db?.drop());
  let schemaCount = 0;
  const freshSchema = () => {
    config = { ...db.config, schema: `modes_${++schemaCount}`, ssl_mode: { mode: "disable" } };
    return config.schema as string;
  };
  const write = (catalog: ConfiguredAirbyteCatalog, messages: AirbyteMessage[]) =>
    runInProcess(destinationPostgres, {
      command: "write",
      config,
      catalog,
      input: messageInput(messages, 2),
    });
  const rows = (schema: string, order = "id") =>
    db.query(
      `SELECT id::int AS id, name, _airbyte_generation_id AS gen FROM "${schema}".users ORDER BY ${order}`,
    );

  it("append adds rows with the meta columns, and echoes every state", async () => {
    const schema = freshSchema();
    const first = await write(catalogOf("append"), [
      user(1, "a", 1),
      state(1),
      user(2, "b", 2),
      state(2),
      complete,
    ]);
    expect(first.errors).toEqual([]);
    expect(first.states.map((s) => s.stream?.stream_state)).toEqual([{ n: 1 }, { n: 2 }]);
    await write(catalogOf("append"), [user(1, "a2", 3), state(3), complete]);
    expect((await rows(schema)).map((r) => [r.id, r.name])).toEqual([
      [1, "a"],
      [1, "a2"],
      [2, "b"],
    ]);
    const meta = await db.query(
      `SELECT _airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta FROM "${schema}".users LIMIT 1`,
    );
    expect(meta[0]?._airbyte_raw_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta[0]?._airbyte_meta).toEqual({ sync_id: 5, changes: [] });
  });

  it("overwrite builds aside: readers see the old rows until the swap, and a failed sync keeps them", async () => {
    const schema = freshSchema();
    await write(catalogOf("overwrite"), [user(1, "old", 1), user(2, "old", 1), state(1), complete]);
    const seenDuring: number[] = [];
    async function* input(): AsyncGenerator<readonly AirbyteMessage[]> {
      yield [user(7, "new", 2), state(2)];
      // The writer has flushed what it got (the state waits for the swap): the table is unchanged.
      await new Promise((resolve) => setTimeout(resolve, 50));
      seenDuring.push((await rows(schema)).length);
      yield [user(8, "new", 2), state(3), complete];
    }
    const run = [];
    for await (const batch of runConnector(
      destinationPostgres,
      { command: "write", config, catalog: catalogOf("overwrite"), input: input() },
      { flushIntervalMs: 0 },
    )) {
      run.push(...batch);
    }
    expect(seenDuring).toEqual([2]);
    expect((await rows(schema)).map((r) => [r.id, r.name])).toEqual([
      [7, "new"],
      [8, "new"],
    ]);
    // The states of an overwrite come back only after the swap.
    expect(run.filter((m) => m.type === "STATE")).toHaveLength(2);

    const incomplete = await write(catalogOf("overwrite"), [user(9, "lost", 3), state(4)]);
    expect(incomplete.errors).toEqual([]);
    expect((await rows(schema)).map((r) => r.id)).toEqual([7, 8]);
    const leftovers = await db.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename LIKE '\\_weir%'`,
      [schema],
    );
    expect(leftovers[0]?.n).toBe(0);
  });

  it("overwrite refuses to drop a table views depend on, unless drop_cascade", async () => {
    const schema = freshSchema();
    await write(catalogOf("overwrite"), [user(1, "v", 1), complete]);
    await db.query(`CREATE VIEW "${schema}".user_names AS SELECT name FROM "${schema}".users`);
    const refused = await write(catalogOf("overwrite"), [user(2, "w", 2), complete]);
    expect(refused.errors.map((e) => e.failure_type)).toEqual(["config_error"]);
    expect(refused.errors[0]?.message).toMatch(/depend on the old table.*drop_cascade/);
    expect((await rows(schema)).map((r) => r.name)).toEqual(["v"]);
    config = { ...config, drop_cascade: true };
    const cascaded = await write(catalogOf("overwrite"), [user(2, "w", 2), complete]);
    expect(cascaded.errors).toEqual([]);
    expect((await rows(schema)).map((r) => r.name)).toEqual(["w"]);
  });

  it("append_dedup keeps the latest row per key by cursor, across batches and syncs", async () => {
    const schema = freshSchema();
    const dedup = createDestinationPostgres({ maxPendingRecords: 2, maxPendingBytes: 1 << 20 });
    const run = (messages: AirbyteMessage[]) =>
      runInProcess(dedup, {
        command: "write",
        config,
        catalog: catalogOf("append_dedup"),
        input: messageInput(messages, 2),
      });
    const first = await run([
      user(1, "a1", 1),
      user(2, "b1", 1),
      user(1, "a3", 3),
      state(1),
      user(1, "a2", 2),
      user(3, "c1", 1),
      state(2),
      complete,
    ]);
    expect(first.errors).toEqual([]);
    expect((await rows(schema)).map((r) => [r.id, r.name])).toEqual([
      [1, "a3"],
      [2, "b1"],
      [3, "c1"],
    ]);
    await run([user(2, "b0", 0), user(3, "c5", 5), state(3), complete]);
    expect((await rows(schema)).map((r) => [r.id, r.name])).toEqual([
      [1, "a3"],
      [2, "b1"],
      [3, "c5"],
    ]);
  });

  it("append_dedup on a table an append filled first removes its duplicates and adds the unique key", async () => {
    const schema = freshSchema();
    await write(catalogOf("append"), [user(1, "x1", 1), user(1, "x2", 2), user(2, "y", 1), complete]);
    const result = await write(catalogOf("append_dedup"), [user(2, "y2", 2), complete]);
    expect(result.errors).toEqual([]);
    expect((await rows(schema)).map((r) => [r.id, r.name])).toEqual([
      [1, "x2"],
      [2, "y2"],
    ]);
  });

  it("a truncate refresh (minimum generation = generation) replaces; older generations are deleted", async () => {
    const schema = freshSchema();
    await write(catalogOf("append", userSchema, { generation_id: 1, minimum_generation_id: 0 }), [
      user(1, "g1", 1),
      complete,
    ]);
    await write(catalogOf("append", userSchema, { generation_id: 2, minimum_generation_id: 2 }), [
      user(2, "g2", 1),
      complete,
    ]);
    expect((await rows(schema)).map((r) => [r.id, r.gen])).toEqual([[2, "2"]]);
    await write(catalogOf("append", userSchema, { generation_id: 3, minimum_generation_id: 0 }), [
      user(3, "g3", 1),
      complete,
    ]);
    await write(catalogOf("append", userSchema, { generation_id: 4, minimum_generation_id: 3 }), [
      user(4, "g4", 1),
      complete,
    ]);
    expect((await rows(schema)).map((r) => [r.id, r.gen])).toEqual([
      [3, "3"],
      [4, "4"],
    ]);
  });

  it("adds columns new in the schema with ALTER TABLE", async () => {
    const schema = freshSchema();
    await write(catalogOf("append"), [user(1, "a", 1), complete]);
    const wider = { type: "object", properties: { ...userSchema.properties, age: { type: "integer" } } };
    const result = await write(catalogOf("append", wider), [
      recordMessage("users", { id: 2, name: "b", updated_at: "2024-01-02T00:00:00Z", age: 40 }),
      complete,
    ]);
    expect(result.logs.map((l) => l.message)).toContain(`Added columns "age" to "${schema}"."users"`);
    const ages = await db.query(`SELECT id::int AS id, age::int AS age FROM "${schema}".users ORDER BY id`);
    expect(ages).toEqual([
      { id: 1, age: null },
      { id: 2, age: 40 },
    ]);
  });

  it("a value that does not fit becomes NULL with a change in _airbyte_meta, also when only Postgres notices", async () => {
    const schema = freshSchema();
    const typed = {
      type: "object",
      properties: {
        id: { type: "integer" },
        at: { type: "string", format: "time", airbyte_type: "time_without_timezone" },
        day: { type: "string", format: "date" },
        n: { type: "integer" },
      },
    };
    const result = await write(catalogOf("append", typed, { cursor_field: [] }), [
      recordMessage("users", { id: 1, at: "24:00:01", day: "2023-02-29", n: "99999999999999999999" }),
      recordMessage("users", { id: 2, at: "12:00:00", day: "2024-02-29", n: 7 }),
      complete,
    ]);
    expect(result.errors).toEqual([]);
    const stored = await db.query(
      `SELECT id::int AS id, at::text AS at, day::text AS day, n::int AS n, _airbyte_meta FROM "${schema}".users ORDER BY id`,
    );
    expect(stored[0]).toMatchObject({ id: 1, at: null, day: null, n: null });
    const meta = stored[0]?._airbyte_meta as { changes: { field: string; reason: string }[] } | undefined;
    const changes = meta?.changes ?? [];
    expect(changes.map((c) => [c.field, c.reason]).sort()).toEqual([
      ["at", "DESTINATION_SERIALIZATION_ERROR"],
      ["day", "DESTINATION_SERIALIZATION_ERROR"],
      ["n", "DESTINATION_FIELD_SIZE_LIMITATION"],
    ]);
    expect(stored[1]).toMatchObject({
      id: 2,
      at: "12:00:00",
      day: "2024-02-29",
      n: 7,
      _airbyte_meta: { sync_id: 5, changes: [] },
    });
  });

  it("wrong credentials and unreachable hosts: check FAILED, write a config_error", async () => {
    for (const bad of [
      { username: "weir_no_such_role" },
      { port: 1 },
      { host: "weir-no-such-host.invalid" },
    ]) {
      const badConfig = { ...db.config, schema: "public", ...bad };
      const check = await runInProcess(destinationPostgres, { command: "check", config: badConfig });
      expect(check.connectionStatus?.status).toBe("FAILED");
      const result = await runInProcess(destinationPostgres, {
        command: "write",
        config: badConfig,
        catalog: catalogOf("append"),
        input: messageInput([user(1, "a", 1), state(1)]),
      });
      expect(result.states).toEqual([]);
      expect(result.errors.map((e) => e.failure_type)).toEqual(["config_error"]);
    }
  });
});
