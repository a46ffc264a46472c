import { runInProcess } from "@weir/cdk/testing";
import type { AirbyteStateMessage, ConfiguredAirbyteCatalog } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { purchaseCountUpTo } from "./fake-record-factory.js";
import { sourceFaker } from "./source-faker.js";

const STREAMS = ["users", "products", "purchases"];

function incrementalCatalog(): ConfiguredAirbyteCatalog {
  return {
    streams: STREAMS.map((name) => ({
      stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh", "incremental"] },
      sync_mode: "incremental",
      destination_sync_mode: "append",
    })),
  };
}

const read = (config: Record<string, unknown>, state?: AirbyteStateMessage[]) =>
  runInProcess(sourceFaker, { command: "read", config, catalog: incrementalCatalog(), state });

/** The last STATE of each stream: what a platform would commit. */
function lastStates(states: readonly AirbyteStateMessage[]): AirbyteStateMessage[] {
  const last = new Map<string, AirbyteStateMessage>();
  for (const s of states) last.set(s.stream?.stream_descriptor.name ?? "", s);
  return [...last.values()];
}

/** The first stream's (users') state blob of a run. */
const usersState = (states: readonly AirbyteStateMessage[]): Record<string, unknown> =>
  (lastStates(states)[0]?.stream?.stream_state ?? {}) as Record<string, unknown>;

const streamState = (state: AirbyteStateMessage) => ({
  type: "STREAM" as const,
  stream: {
    stream_descriptor: { name: state.stream?.stream_descriptor.name ?? "" },
    stream_state: state.stream?.stream_state,
  },
});

const ofStream = (result: Awaited<ReturnType<typeof read>>, stream: string) =>
  result.records.filter((r) => r.stream === stream).map((r) => r.data);

const handState = (stream: string, streamState: unknown): AirbyteStateMessage => ({
  type: "STREAM",
  stream: { stream_descriptor: { name: stream }, stream_state: streamState },
});

describe("source-faker incremental, always_updated false", () => {
  const config = { count: 1000, seed: 5, always_updated: false };

  it("emits nothing on a second run with the same count, and still checkpoints every stream", async () => {
    const first = await read(config);
    expect(first.records).toHaveLength(1000 + 100 + purchaseCountUpTo(1000));
    const state = lastStates(first.states);
    expect(state.map((s) => s.stream?.stream_state)).toEqual([
      { updated_at: expect.any(String), id: 1000, seed: 5 },
      { updated_at: expect.any(String), id: 100 },
      { updated_at: expect.any(String), user_id: 1000, seed: 5 },
    ]);
    const second = await read(config, state.map(streamState));
    expect(second.errors).toEqual([]);
    expect(second.records).toEqual([]);
    expect(lastStates(second.states).map((s) => s.stream?.stream_state)).toEqual(
      state.map((s) => s.stream?.stream_state),
    );
  });

  it("emits exactly the new users and their purchases when count grows", async () => {
    const first = await read(config);
    const grown = { ...config, count: 1200 };
    const second = await read(grown, lastStates(first.states));
    const users = ofStream(second, "users");
    expect(users.map((u) => u.id)).toEqual(Array.from({ length: 200 }, (_, i) => 1001 + i));
    const purchases = ofStream(second, "purchases");
    expect(purchases).toHaveLength(purchaseCountUpTo(1200) - purchaseCountUpTo(1000));
    expect(purchases.every((p) => (p.user_id as number) > 1000)).toBe(true);
    expect(ofStream(second, "products")).toEqual([]);
    // The same records a fresh read of 1200 users makes: nothing depends on the run.
    const fresh = await read(grown);
    expect(users).toEqual(ofStream(fresh, "users").slice(1000));
    expect(purchases).toEqual(ofStream(fresh, "purchases").filter((p) => (p.user_id as number) > 1000));
    expect(usersState(second.states).id).toBe(1200);
  });

  it("resumes from a mid-run checkpoint with the records after it", async () => {
    const sliced = { ...config, count: 1000, records_per_slice: 100 };
    const first = await read(sliced);
    const userStates = first.states.filter((s) => s.stream?.stream_descriptor.name === "users");
    expect(userStates).toHaveLength(10);
    const third = userStates[2] as AirbyteStateMessage;
    const resumed = await read(sliced, [third]);
    expect(ofStream(resumed, "users").map((u) => u.id)).toEqual(
      Array.from({ length: 700 }, (_, i) => 301 + i),
    );
    expect(ofStream(resumed, "users")).toEqual(ofStream(first, "users").slice(300));
  });

  it("emits nothing from a state in the far future", async () => {
    for (const always_updated of [false, true]) {
      const future = "9999-12-31T23:59:59+00:00";
      const state = [
        handState("users", { updated_at: future, id: 10 ** 12 }),
        handState("products", { updated_at: future }),
        handState("purchases", { updated_at: future, user_id: 10 ** 12 }),
      ];
      const result = await read({ ...config, always_updated }, state);
      expect(result.records).toEqual([]);
      expect(lastStates(result.states)).toHaveLength(3);
    }
  });

  it("continues from Airbyte's own state shape ({ id, seed })", async () => {
    const result = await read({ ...config, count: 600 }, [handState("users", { id: 500, seed: 5 })]);
    expect(ofStream(result, "users").map((u) => u.id)).toEqual(
      Array.from({ length: 100 }, (_, i) => 501 + i),
    );
  });

  it("warns about a state it does not know and emits everything", async () => {
    const result = await read({ ...config, count: 40 }, [handState("users", { cursor: 0 })]);
    expect(ofStream(result, "users")).toHaveLength(40);
    expect(result.logs.some((l) => l.level === "WARN" && l.message.includes("users"))).toBe(true);
  });

  it("emits everything again, with a warning, when the seed changed", async () => {
    const first = await read({ ...config, count: 30 });
    const second = await read({ ...config, count: 30, seed: 6 }, lastStates(first.states));
    expect(ofStream(second, "users")).toHaveLength(30);
    expect(ofStream(second, "users")).not.toEqual(ofStream(first, "users"));
    expect(second.logs.some((l) => l.level === "WARN" && l.message.includes("seed"))).toBe(true);
  });

  it("keeps a random seed (-1) in the state, so later runs extend the same data", async () => {
    const random = { count: 50, always_updated: false };
    const first = await read(random);
    const seed = usersState(first.states).seed as number;
    expect(Number.isInteger(seed)).toBe(true);
    const second = await read({ ...random, count: 60 }, lastStates(first.states));
    const fresh = await read({ ...random, count: 60, seed });
    expect(ofStream(second, "users")).toEqual(ofStream(fresh, "users").slice(50));
    expect(ofStream(second, "purchases")).toEqual(
      ofStream(fresh, "purchases").filter((p) => (p.user_id as number) > 50),
    );
  });
});

describe("source-faker incremental, always_updated true", () => {
  it("emits every record again with a newer updated_at, the rest unchanged", async () => {
    const config = { count: 100, seed: 8, always_updated: true };
    const first = await read(config);
    const firstCursor = Date.parse(usersState(first.states).updated_at as string);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await read(config, lastStates(first.states));
    expect(second.records).toHaveLength(first.records.length);
    for (const [i, record] of second.records.entries()) {
      expect(Date.parse(record.data.updated_at as string)).toBeGreaterThan(firstCursor);
      expect({ ...record.data, updated_at: null }).toEqual({ ...first.records[i]?.data, updated_at: null });
    }
  });
});
