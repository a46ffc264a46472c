import { afterEach, describe, expect, it } from "vitest";
import { DuckdbTestSession, testRecord, testStream } from "./duckdb-test-session.js";

let session: DuckdbTestSession;
afterEach(() => session.remove());

const USERS = { id: { type: "integer" }, name: { type: "string" } };
const users = (...ids: number[]) => ids.map((id) => testRecord("users", { id, name: `u${id}` }));
const ids = async (table = "users") =>
  (await session.query(`SELECT id FROM ${table} ORDER BY id`)).map((row) => Number(row.id));

describe("destination-duckdb append and overwrite", () => {
  it("append adds the rows of every run", async () => {
    session = new DuckdbTestSession();
    const stream = testStream("users", USERS);
    await session.run([stream], [users(1, 2)]);
    await session.run([stream], [users(2, 3)]);
    expect(await ids()).toEqual([1, 2, 2, 3]);
  });

  it("overwrite declares its streams deferred and leaves no work table behind", async () => {
    session = new DuckdbTestSession();
    const writer = await session.open([
      testStream("users", USERS, { mode: "overwrite" }),
      testStream("other", USERS),
    ]);
    expect([...(writer.deferredStreams ?? [])]).toEqual(["users"]);
    await writer.write(users(1));
    await writer.close({ ok: true, completeStreams: new Set(["users", "other"]) });
    expect(await session.tables()).toEqual(["main.other", "main.users"]);
  });

  it("overwrite keeps the old rows until a complete run swaps the new ones in", async () => {
    session = new DuckdbTestSession();
    const stream = testStream("users", USERS, { mode: "overwrite" });
    await session.run([stream], [users(1, 2)]);
    expect(await ids()).toEqual([1, 2]);

    // Flushed but not yet swapped: readers still see the old rows.
    const writer = await session.open([stream]);
    await writer.write(users(7, 8));
    await writer.flush();
    expect(await ids()).toEqual([1, 2]);
    await writer.close({ ok: false, completeStreams: new Set(["users"]) });
    expect(await ids()).toEqual([1, 2]);

    // The input ended, but the source never said the stream was complete.
    await session.run([stream], [users(7, 8)], { complete: [] });
    expect(await ids()).toEqual([1, 2]);
    expect(session.logs.some((l) => l.level === "WARN" && l.message.includes("did not complete"))).toBe(true);

    await session.run([stream], [users(7), users(8, 9)]);
    expect(await ids()).toEqual([7, 8, 9]);
    expect(await session.tables()).toEqual(["main.users"]);
  });

  it("overwrite swaps in the new schema", async () => {
    session = new DuckdbTestSession();
    await session.run([testStream("users", USERS, { mode: "overwrite" })], [users(1)]);
    const changed = testStream(
      "users",
      { id: { type: "string" }, extra: { type: "boolean" } },
      { mode: "overwrite" },
    );
    await session.run([changed], [[testRecord("users", { id: "x", extra: true })]]);
    const rows = await session.query("SELECT id, extra FROM users");
    expect(rows).toEqual([{ id: "x", extra: true }]);
  });

  it("treats append with minimum_generation_id == generation_id as a truncate refresh", async () => {
    session = new DuckdbTestSession();
    const generation = (generationId: number, minimumGenerationId: number) =>
      testStream("users", USERS, { generationId, minimumGenerationId });
    await session.run([generation(1, 0)], [users(1)]);
    await session.run([generation(1, 0)], [users(2)]);
    // Refresh and retain records: generations coexist.
    await session.run([generation(2, 0)], [users(3)]);
    const generations = async () =>
      (await session.query("SELECT id, _airbyte_generation_id AS g FROM users ORDER BY id")).map((r) => [
        Number(r.id),
        Number(r.g),
      ]);
    expect(await generations()).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    // Refresh and remove records: old generations stay until the new one is complete.
    const writer = await session.open([generation(3, 3)]);
    expect([...(writer.deferredStreams ?? [])]).toEqual(["users"]);
    await writer.write(users(4));
    await writer.flush();
    await writer.close({ ok: false, completeStreams: new Set() });
    expect(await generations()).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    await session.run([generation(3, 3)], [users(4), users(5)]);
    expect(await generations()).toEqual([
      [4, 3],
      [5, 3],
    ]);
  });

  it("a truncate refresh with no records empties the table (a clear)", async () => {
    session = new DuckdbTestSession();
    await session.run([testStream("users", USERS, { generationId: 1, minimumGenerationId: 0 })], [users(1)]);
    await session.run([testStream("users", USERS, { generationId: 2, minimumGenerationId: 2 })], []);
    expect(await ids()).toEqual([]);
  });

  it("moves staged rows into the table on its own when many are staged, before any flush", async () => {
    session = new DuckdbTestSession();
    const writer = await session.open([testStream("users", USERS)], { tuning: { maxStagedRows: 10 } });
    await writer.write(users(...Array.from({ length: 25 }, (_, i) => i)));
    expect(await ids()).toHaveLength(25);
    await writer.close({ ok: true, completeStreams: new Set(["users"]) });
  });

  it("writes each namespace to its own schema, and the default schema otherwise", async () => {
    session = new DuckdbTestSession();
    const streams = [testStream("users", USERS, { namespace: "crm" }), testStream("users", USERS)];
    const writer = await session.open(streams, { config: { schema: "raw" } });
    await writer.write([
      testRecord("users", { id: 1 }, { namespace: "crm" }),
      testRecord("users", { id: 2 }),
    ]);
    await writer.write([testRecord("users", { id: 3 }, { namespace: "nowhere" })]);
    await writer.close({ ok: true, completeStreams: new Set() });
    expect(await session.tables()).toEqual(["crm.users", "raw.users"]);
    expect(await ids("crm.users")).toEqual([1]);
    expect(await ids("raw.users")).toEqual([2]);
    expect(session.logs.some((l) => l.level === "WARN" && l.message.includes("not in the catalog"))).toBe(
      true,
    );
  });
});
