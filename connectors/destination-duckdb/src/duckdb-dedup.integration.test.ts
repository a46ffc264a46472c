import { afterEach, describe, expect, it } from "vitest";
import { DuckdbTestSession, testRecord, testStream } from "./duckdb-test-session.js";

let session: DuckdbTestSession;
afterEach(() => session.remove());

const ORDERS = {
  id: { type: "integer" },
  region: { type: ["null", "string"] },
  updated: { type: ["null", "integer"] },
  v: { type: "string" },
  _ab_cdc_deleted_at: { type: ["null", "string"], format: "date-time" },
};
const dedup = (options: { cursor?: string[]; primaryKey?: string[][] } = {}) =>
  testStream("orders", ORDERS, {
    mode: "append_dedup",
    primaryKey: options.primaryKey ?? [["id"]],
    ...(options.cursor === undefined
      ? { cursor: ["updated"] }
      : options.cursor.length === 0
        ? {}
        : { cursor: options.cursor }),
  });
const order = (
  id: number,
  updated: number | null,
  v: string,
  extra: Record<string, unknown> = {},
  emittedAt = 1000,
) => testRecord("orders", { id, updated, v, ...extra }, { emittedAt });
const rows = async () =>
  (await session.query("SELECT id, region, v FROM orders ORDER BY id, region")).map((r) =>
    r.region === null ? `${r.id}:${r.v}` : `${r.id}/${r.region}:${r.v}`,
  );

describe("destination-duckdb append_dedup", () => {
  it("keeps the latest row per key by cursor within one batch; ties go to the later record", async () => {
    session = new DuckdbTestSession();
    await session.run(
      [dedup()],
      [
        [
          order(1, 5, "a"),
          order(1, 9, "b"),
          order(1, 7, "c"),
          order(2, 3, "x"),
          order(2, 3, "y"),
          order(3, 1, "p"),
        ],
      ],
    );
    expect(await rows()).toEqual(["1:b", "2:y", "3:p"]);
  });

  it("keeps the latest across flushes, merges and syncs, never letting an older cursor win", async () => {
    session = new DuckdbTestSession();
    const stream = dedup();
    // A merge threshold of 2 merges after most flushes; the rest is merged at close.
    const tuning = { mergeThresholdRows: 2 };
    await session.run(
      [stream],
      [[order(1, 5, "a")], [order(2, 5, "b"), order(1, 4, "stale")], [order(3, 1, "c")]],
      {
        tuning,
      },
    );
    expect(await rows()).toEqual(["1:a", "2:b", "3:c"]);
    await session.run([stream], [[order(1, 6, "a2"), order(2, 1, "stale")], [order(3, 1, "c-same-cursor")]], {
      tuning,
    });
    expect(await rows()).toEqual(["1:a2", "2:b", "3:c-same-cursor"]);
    await session.run([stream], [[order(1, 6, "a3")]]);
    expect(await rows()).toEqual(["1:a3", "2:b", "3:c-same-cursor"]);
  });

  it("orders a null cursor before any value", async () => {
    session = new DuckdbTestSession();
    const stream = dedup();
    await session.run(
      [stream],
      [[order(1, 1, "one"), order(1, null, "null-later"), order(2, null, "n1"), order(2, null, "n2")]],
    );
    expect(await rows()).toEqual(["1:one", "2:n2"]);
    await session.run([stream], [[order(1, null, "null-again"), order(2, 0, "zero")]]);
    expect(await rows()).toEqual(["1:one", "2:zero"]);
  });

  it("dedups on composite keys, a null key part being a value of its own", async () => {
    session = new DuckdbTestSession();
    const stream = dedup({ primaryKey: [["id"], ["region"]] });
    await session.run(
      [stream],
      [
        [
          order(1, 1, "a", { region: "eu" }),
          order(1, 1, "b", { region: "us" }),
          order(1, 2, "a2", { region: "eu" }),
          order(1, 1, "nullregion"),
        ],
      ],
    );
    await session.run([stream], [[order(1, 3, "nullregion2"), order(1, 0, "old", { region: "us" })]]);
    expect(await rows()).toEqual(["1/eu:a2", "1/us:b", "1:nullregion2"]);
  });

  it("without a cursor keeps the most recently extracted, then the last arrived", async () => {
    session = new DuckdbTestSession();
    const stream = dedup({ cursor: [] });
    await session.run([stream], [[order(1, 9, "new", {}, 2000), order(1, 1, "old", {}, 1000)]]);
    expect(await rows()).toEqual(["1:new"]);
    await session.run([stream], [[order(1, 0, "newest", {}, 3000)]]);
    expect(await rows()).toEqual(["1:newest"]);
  });

  it("deletes a key whose latest record carries _ab_cdc_deleted_at", async () => {
    session = new DuckdbTestSession();
    const stream = dedup();
    await session.run([stream], [[order(1, 1, "a"), order(2, 1, "b")]]);
    await session.run(
      [stream],
      [
        [
          order(1, 2, "gone", { _ab_cdc_deleted_at: "2024-01-01T00:00:00Z" }),
          order(2, 0, "old-delete", { _ab_cdc_deleted_at: "2024-01-01T00:00:00Z" }),
        ],
      ],
    );
    expect(await rows()).toEqual(["2:b"]);
  });

  it("keeps committed rows of a failed sync and merges them when the next sync opens", async () => {
    session = new DuckdbTestSession();
    const stream = dedup();
    await session.run([stream], [[order(1, 1, "a")]]);
    const writer = await session.open([stream]);
    await writer.write([order(1, 2, "committed"), order(2, 1, "b")]);
    await writer.flush();
    await writer.write([order(3, 1, "never-flushed")]);
    await writer.close({ ok: false, completeStreams: new Set() });
    expect(await session.tables()).toContain("main._weir_pending_orders");

    const next = await session.open([stream]);
    expect(await rows()).toEqual(["1:committed", "2:b"]);
    expect(session.logs.some((l) => l.message.includes("Merged 2 rows"))).toBe(true);
    await next.close({ ok: true, completeStreams: new Set(["orders"]) });
    expect(await session.tables()).toEqual(["main.orders"]);
  });

  it("with overwrite semantics (truncate refresh) dedups into the table built aside", async () => {
    session = new DuckdbTestSession();
    const refresh = (generationId: number) =>
      testStream("orders", ORDERS, {
        mode: "append_dedup",
        primaryKey: [["id"]],
        cursor: ["updated"],
        generationId,
        minimumGenerationId: generationId,
      });
    await session.run([refresh(1)], [[order(1, 1, "a"), order(2, 1, "b")]]);
    await session.run([refresh(2)], [[order(1, 1, "a-gen2"), order(1, 2, "a-gen2-latest")]], {
      complete: [],
    });
    expect(await rows()).toEqual(["1:a", "2:b"]);
    await session.run([refresh(2)], [[order(1, 1, "a-gen2"), order(1, 2, "a-gen2-latest")]]);
    expect(await rows()).toEqual(["1:a-gen2-latest"]);
    expect(await session.tables()).toEqual(["main.orders"]);
  });

  it("refuses append_dedup without a primary key, or with a key not in the schema", async () => {
    session = new DuckdbTestSession();
    await expect(session.open([dedup({ primaryKey: [] })])).rejects.toMatchObject({
      failureType: "config_error",
    });
    await expect(session.open([dedup({ primaryKey: [["nope"]] })])).rejects.toThrow(/primary key \["nope"\]/);
  });

  it("reads a nested cursor out of a JSON column", async () => {
    session = new DuckdbTestSession();
    const stream = testStream(
      "nested",
      { id: { type: "integer" }, meta: { type: "object" } },
      { mode: "append_dedup", primaryKey: [["id"]], cursor: ["meta", "version"] },
    );
    const rec = (version: number, tag: string) => testRecord("nested", { id: 1, meta: { version, tag } });
    await session.run([stream], [[rec(2, "two"), rec(3, "three"), rec(1, "one")]]);
    const [row] = await session.query("SELECT meta->>'tag' AS tag FROM nested");
    expect(row?.tag).toBe("three");
  });
});
