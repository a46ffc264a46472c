import type { AirbyteStateMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { removeStreamState, statedStreamNames } from "./remove-stream-state.js";

const streamState = (name: string, namespace?: string): AirbyteStateMessage => ({
  type: "STREAM",
  stream: { stream_descriptor: namespace ? { name, namespace } : { name }, stream_state: { c: name } },
});

describe("removeStreamState", () => {
  it("removes one STREAM entry, by name or namespace.name", () => {
    const state = [streamState("users"), streamState("orders", "shop")];
    expect(statedStreamNames(state)).toEqual(["users", "shop.orders"]);
    expect(removeStreamState(state, "users")).toEqual({ ok: true, value: [streamState("orders", "shop")] });
    expect(removeStreamState(state, "shop.orders")).toEqual({ ok: true, value: [streamState("users")] });
  });

  it("removes a stream from a GLOBAL state and keeps the shared state", () => {
    const global: AirbyteStateMessage = {
      type: "GLOBAL",
      global: {
        shared_state: { lsn: 42 },
        stream_states: [
          { stream_descriptor: { name: "users" }, stream_state: { c: 1 } },
          { stream_descriptor: { name: "orders" }, stream_state: { c: 2 } },
        ],
      },
    };
    expect(removeStreamState([global], "users")).toEqual({
      ok: true,
      value: [
        {
          type: "GLOBAL",
          global: {
            shared_state: { lsn: 42 },
            stream_states: [{ stream_descriptor: { name: "orders" }, stream_state: { c: 2 } }],
          },
        },
      ],
    });
  });

  it("refuses LEGACY state and names the streams that have state when the name is unknown", () => {
    const legacy = removeStreamState([{ type: "LEGACY", data: { x: 1 } }], "users");
    expect(!legacy.ok && legacy.failure.message).toMatch(/LEGACY state.*cannot be reset for one stream/);
    const unknown = removeStreamState([streamState("users")], "userz");
    expect(!unknown.ok && unknown.failure).toMatchObject({
      type: "config_error",
      message: "no stored state for stream userz (streams with state: users)",
    });
  });
});
