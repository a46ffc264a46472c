import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseStateInput } from "./state-input.js";

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`./test-fixtures/airbyte/${path}`, import.meta.url), "utf8"));

function states(input: unknown) {
  const parsed = parseStateInput(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.states;
}

describe("parseStateInput", () => {
  it("gives no state on a first sync", () => {
    expect(states(undefined).kind).toBe("none");
    expect(states([]).stateOf({ name: "users" })).toBeUndefined();
  });

  it("reads per-stream state from an array of STREAM messages, namespace-aware", () => {
    const s = states([
      { type: "STREAM", stream: { stream_descriptor: { name: "users" }, stream_state: { cursor: 3 } } },
      {
        type: "STREAM",
        stream: { stream_descriptor: { name: "users", namespace: "crm" }, stream_state: { cursor: 9 } },
        sourceStats: { recordCount: 9.0 },
        id: 12,
      },
    ]);
    expect(s.kind).toBe("stream");
    expect(s.stateOf({ name: "users" })).toEqual({ cursor: 3 });
    expect(s.stateOf({ name: "users", namespace: null })).toEqual({ cursor: 3 });
    expect(s.stateOf({ name: "users", namespace: "crm" })).toEqual({ cursor: 9 });
    expect(s.stateOf({ name: "orders" })).toBeUndefined();
  });

  it("reads GLOBAL state with its shared state", () => {
    const s = states([
      {
        type: "GLOBAL",
        global: {
          shared_state: { lsn: 42 },
          stream_states: [{ stream_descriptor: { name: "users" }, stream_state: { done: true } }],
        },
      },
    ]);
    expect(s.kind).toBe("global");
    expect(s.sharedState).toEqual({ lsn: 42 });
    expect(s.stateOf({ name: "users" })).toEqual({ done: true });
  });

  it("reads Airbyte's bare legacy blobs by stream name", () => {
    const faker = states(fixture("sample_state.json"));
    expect(faker.kind).toBe("legacy");
    expect(faker.stateOf({ name: "users" })).toEqual({ cursor: 0 });
    expect(faker.stateOf({ name: "products" })).toBeUndefined();
    const github = states(fixture("github_sample_state.json"));
    expect(github.stateOf({ name: "stargazers" })).toEqual({
      "airbytehq/integration-test": { starred_at: "2021-06-29T02:04:57Z" },
    });
  });

  it("reads the Java database sources' legacy state by stream name and namespace", () => {
    const s = states(fixture("java_db_legacy_state.json"));
    expect(s.stateOf({ name: "cars", namespace: "public" })).toMatchObject({
      cursor: "4",
      cursor_field: ["id"],
    });
    expect(s.stateOf({ name: "cars" })).toBeUndefined();
  });

  it("reads LEGACY messages and state envelopes", () => {
    expect(states([{ type: "LEGACY", data: { users: { cursor: 5 } } }]).stateOf({ name: "users" })).toEqual({
      cursor: 5,
    });
    const wrapped = states([
      {
        type: "STATE",
        state: { type: "STREAM", stream: { stream_descriptor: { name: "a" }, stream_state: 1 } },
      },
    ]);
    expect(wrapped.stateOf({ name: "a" })).toBe(1);
  });

  it("rejects what is no state input", () => {
    expect(parseStateInput("cursor=5").ok).toBe(false);
    expect(parseStateInput([{ type: "STREAM" }])).toEqual({
      ok: false,
      message: "A state message has none of stream, global or data",
    });
  });
});
