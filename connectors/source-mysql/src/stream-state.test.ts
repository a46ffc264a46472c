import { describe, expect, it } from "vitest";
import { readStreamState, writeStreamState } from "./stream-state.js";

describe("stream state", () => {
  it("reads back what it writes", () => {
    const states = [
      { type: "primary_key", primaryKey: ["a", "b"], lastKey: ["1", "x"] },
      {
        type: "cursor_based",
        cursorField: "updated_at",
        cursor: "2024-01-02 03:04:05.000001",
        cursorRecordCount: 3,
        primaryKey: ["id"],
        lastKey: ["17"],
      },
      {
        type: "cursor_based",
        cursorField: "n",
        cursor: null,
        cursorRecordCount: 2,
        primaryKey: undefined,
        lastKey: undefined,
      },
      { complete: true },
    ] as const;
    for (const state of states) {
      const written = JSON.parse(JSON.stringify(writeStreamState(state, { name: "t", namespace: "db" })));
      expect(readStreamState(written)).toEqual({ kind: "state", state });
    }
  });

  it("writes Airbyte's shapes: single-column keys as strings, composite ones as lists", () => {
    const stream = { name: "users", namespace: "shop" };
    expect(writeStreamState({ type: "primary_key", primaryKey: ["id"], lastKey: ["7"] }, stream)).toEqual({
      version: 2,
      state_type: "primary_key",
      pk_name: "id",
      pk_val: "7",
    });
    expect(writeStreamState({ complete: true }, stream)).toEqual({
      version: 2,
      state_type: "full_refresh_complete",
    });
    const cursor = {
      type: "cursor_based",
      cursorField: "updated_at",
      cursor: "2024-01-01 00:00:00",
      cursorRecordCount: 2,
      primaryKey: ["a", "b"],
      lastKey: ["1", "x"],
    } as const;
    expect(writeStreamState(cursor, stream)).toEqual({
      version: 2,
      state_type: "cursor_based",
      stream_name: "users",
      stream_namespace: "shop",
      cursor_field: ["updated_at"],
      cursor: "2024-01-01 00:00:00",
      cursor_record_count: 2,
      pk_name: ["a", "b"],
      cursor_pk_val: ["1", "x"],
    });
  });

  it("reads Airbyte's source-mysql cursor state, with single-column values as strings", () => {
    const airbyte = {
      cursor: "2024-05-01T10:00:00.000000Z",
      version: 2,
      state_type: "cursor_based",
      stream_name: "users",
      cursor_field: ["updated_at"],
      stream_namespace: "shop",
      cursor_record_count: 1,
    };
    expect(readStreamState(airbyte)).toEqual({
      kind: "state",
      state: {
        type: "cursor_based",
        cursorField: "updated_at",
        cursor: "2024-05-01T10:00:00.000000Z",
        cursorRecordCount: 1,
        primaryKey: undefined,
        lastKey: undefined,
      },
    });
    expect(readStreamState({ state_type: "primary_key", pk_name: "id", pk_val: "100" })).toEqual({
      kind: "state",
      state: { type: "primary_key", primaryKey: ["id"], lastKey: ["100"] },
    });
  });

  it("treats nothing as no state and says why a state is unusable", () => {
    expect(readStreamState(undefined)).toEqual({ kind: "none" });
    expect(readStreamState({})).toEqual({ kind: "none" });
    expect(readStreamState("x").kind).toBe("unusable");
    expect(readStreamState({ state_type: "primary_key", pk_name: ["a"], pk_val: [] }).kind).toBe("unusable");
    expect(readStreamState({ __ab_full_refresh_sync_complete: true })).toEqual({
      kind: "state",
      state: { complete: true },
    });
    expect(readStreamState({ something: 1 }).kind).toBe("unusable");
  });
});
