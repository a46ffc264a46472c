import type { AirbyteStateMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { mergeCommittedState, StateLedger, stateMessagesOf, statesEqual } from "./state-ledger.js";

const streamState = (
  name: string,
  cursor: unknown,
  extra: Record<string, unknown> = {},
): AirbyteStateMessage => ({
  type: "STREAM",
  stream: { stream_descriptor: { name }, stream_state: { cursor } },
  ...extra,
});

describe("mergeCommittedState", () => {
  it("replaces a stream's entry in place and appends a new stream", () => {
    const current = [streamState("users", 1), streamState("orders", 5)];
    const merged = mergeCommittedState(current, streamState("users", 2));
    expect(merged).toEqual([streamState("users", 2), streamState("orders", 5)]);
    expect(mergeCommittedState(merged, streamState("items", 7))).toHaveLength(3);
    expect(current[0]).toEqual(streamState("users", 1));
  });

  it("treats a null, absent or empty namespace as the same stream", () => {
    const current: AirbyteStateMessage[] = [
      { type: "STREAM", stream: { stream_descriptor: { name: "users", namespace: null }, stream_state: 1 } },
    ];
    const merged = mergeCommittedState(current, {
      type: "STREAM",
      stream: { stream_descriptor: { name: "users", namespace: "" }, stream_state: 2 },
    });
    expect(merged).toHaveLength(1);
    expect(merged[0]?.stream?.stream_state).toBe(2);
  });

  it("lets a GLOBAL or LEGACY state replace everything, keeping unknown fields and dropping run stats", () => {
    const current = [streamState("users", 1)];
    const global: AirbyteStateMessage = {
      type: "GLOBAL",
      global: { shared_state: { lsn: 9 }, stream_states: [] },
      sourceStats: { recordCount: 3 },
      destinationStats: { recordCount: 3 },
      vendor_field: "kept",
    };
    expect(mergeCommittedState(current, global)).toEqual([
      { type: "GLOBAL", global: { shared_state: { lsn: 9 }, stream_states: [] }, vendor_field: "kept" },
    ]);
    expect(mergeCommittedState(current, { type: "LEGACY", data: { users: 3 } })).toEqual([
      { type: "LEGACY", data: { users: 3 } },
    ]);
  });
});

describe("stateMessagesOf", () => {
  it("reads arrays, envelopes and bare legacy blobs", () => {
    expect(stateMessagesOf(undefined)).toEqual([]);
    expect(stateMessagesOf({ users: { cursor: 3 } })).toEqual([
      { type: "LEGACY", data: { users: { cursor: 3 } } },
    ]);
    const wrapped = [{ type: "STATE", state: streamState("users", 1) }] as unknown as AirbyteStateMessage[];
    expect(stateMessagesOf(wrapped)).toEqual([streamState("users", 1)]);
  });
});

describe("statesEqual", () => {
  it("ignores stats and nulls a re-serialising destination adds, but not a different value", () => {
    const sent = streamState("users", 1, { sourceStats: { recordCount: 4 } });
    const echo = {
      ...streamState("users", 1),
      destinationStats: { recordCount: 4 },
      global: null,
      data: null,
    };
    expect(statesEqual(sent, echo)).toBe(true);
    expect(statesEqual(sent, streamState("users", 2))).toBe(false);
    expect(statesEqual(streamState("users", [1, 2]), streamState("users", [1, 2, 3]))).toBe(false);
    expect(statesEqual(streamState("users", 1), streamState("orders", 1))).toBe(false);
  });
});

describe("StateLedger", () => {
  it("commits every pending state up to the echoed one, with their record counts", () => {
    const ledger = new StateLedger([streamState("other", 0)]);
    ledger.sentBySource(streamState("users", 1), new Map([["users", 10]]));
    ledger.sentBySource(streamState("users", 2), new Map([["users", 5]]));
    ledger.sentBySource(streamState("users", 3), new Map([["users", 1]]));
    const committed = ledger.echoedByDestination({
      ...streamState("users", 2),
      destinationStats: { recordCount: 15 },
    });
    expect(committed).toEqual(new Map([["users", 15]]));
    expect(ledger.current).toEqual([streamState("other", 0), streamState("users", 2)]);
    expect(ledger.pending).toBe(1);
    expect(ledger.commits).toBe(1);
  });

  it("ignores a state the source never sent, and one already committed", () => {
    const ledger = new StateLedger([]);
    ledger.sentBySource(streamState("users", 1), new Map());
    expect(ledger.echoedByDestination(streamState("users", 99))).toBeUndefined();
    expect(ledger.echoedByDestination(streamState("users", 1))).toEqual(new Map());
    expect(ledger.echoedByDestination(streamState("users", 1))).toBeUndefined();
    expect(ledger.current).toEqual([streamState("users", 1)]);
  });

  it("matches the oldest of two equal pending states first", () => {
    const ledger = new StateLedger([]);
    ledger.sentBySource(streamState("users", 1), new Map([["users", 2]]));
    ledger.sentBySource(streamState("users", 1), new Map([["users", 3]]));
    expect(ledger.echoedByDestination(streamState("users", 1))).toEqual(new Map([["users", 2]]));
    expect(ledger.pending).toBe(1);
  });
});
