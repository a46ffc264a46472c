import {
  type AirbyteMessage,
  type ConnectorInvocation,
  type ConnectorSpecification,
  recordMessage,
  specMessage,
  streamKey,
  streamStateMessage,
  streamStatusTrace,
} from "@weir/protocol";
import type { ConnectorHandle } from "@weir/runtime";
import { type ScriptedAnswer, scriptedHandle } from "./scripted-handle.js";

// A source that passes every check, answering each command by hand, and a way to spoil one
// answer: each test breaks exactly one rule and expects exactly that check to fail.

export const SCRIPTED_SPEC: ConnectorSpecification = {
  protocol_version: "0.18.0",
  connectionSpecification: {
    type: "object",
    required: ["records"],
    properties: {
      records: { type: "integer", minimum: 0 },
      api_key: { type: "string", airbyte_secret: true },
    },
  },
};

const ITEMS = {
  name: "items",
  json_schema: {
    type: "object",
    properties: { id: { type: "integer" }, updated_at: { type: "string", format: "date-time" } },
  },
  supported_sync_modes: ["full_refresh", "incremental"] as ("full_refresh" | "incremental")[],
  source_defined_cursor: true,
  default_cursor_field: ["updated_at"],
  source_defined_primary_key: [["id"]],
};
const TAGS = {
  name: "tags",
  json_schema: { type: "object", properties: { tag: { type: "string" } } },
  supported_sync_modes: ["full_refresh"] as ("full_refresh" | "incremental")[],
};

export const at = (id: number): string => `2024-01-${String(id).padStart(2, "0")}T00:00:00+00:00`;
const EMITTED_AT = 1_700_000_000_000;

function configOf(invocation: ConnectorInvocation): { records?: unknown; api_key?: unknown } {
  return "config" in invocation ? (invocation.config as { records?: unknown; api_key?: unknown }) : {};
}

function readItems(records: number, from: string | undefined): AirbyteMessage[] {
  const out: AirbyteMessage[] = [streamStatusTrace({ name: "items" }, "STARTED")];
  let cursor = from;
  let since = 0;
  let running = false;
  for (let id = 1; id <= records; id++) {
    if (from !== undefined && Date.parse(at(id)) <= Date.parse(from)) continue;
    if (!running) out.push(streamStatusTrace({ name: "items" }, "RUNNING"));
    running = true;
    out.push(recordMessage("items", { id, updated_at: at(id) }, { emittedAt: EMITTED_AT }));
    cursor = at(id);
    since++;
    if (since === 2) {
      out.push(streamStateMessage({ name: "items" }, { updated_at: cursor }, since));
      since = 0;
    }
  }
  out.push(streamStateMessage({ name: "items" }, { updated_at: cursor ?? null }, since));
  out.push(streamStatusTrace({ name: "items" }, "COMPLETE"));
  return out;
}

function readTags(): AirbyteMessage[] {
  return [
    streamStatusTrace({ name: "tags" }, "STARTED"),
    streamStatusTrace({ name: "tags" }, "RUNNING"),
    recordMessage("tags", { tag: "red" }, { emittedAt: EMITTED_AT }),
    recordMessage("tags", { tag: "blue" }, { emittedAt: EMITTED_AT }),
    streamStateMessage({ name: "tags" }, { done: true }, 2),
    streamStatusTrace({ name: "tags" }, "COMPLETE"),
  ];
}

/** The right answer to a command. */
export function goodAnswer(invocation: ConnectorInvocation): ScriptedAnswer {
  switch (invocation.command) {
    case "spec":
      return { messages: [specMessage(SCRIPTED_SPEC)] };
    case "check": {
      const { records } = configOf(invocation);
      const ok = Number.isInteger(records);
      return {
        messages: [
          {
            type: "CONNECTION_STATUS",
            connectionStatus: ok
              ? { status: "SUCCEEDED" }
              : { status: "FAILED", message: "records: must be an integer" },
          },
        ],
      };
    }
    case "discover":
      return { messages: [{ type: "CATALOG", catalog: { streams: [ITEMS, TAGS] } }] };
    case "read": {
      const records = Number(configOf(invocation).records);
      const wanted = new Set(invocation.catalog.streams.map((c) => streamKey(c.stream)));
      const input = Array.isArray(invocation.state) ? invocation.state : [];
      const from = input.find((s) => s.stream?.stream_descriptor.name === "items")?.stream?.stream_state as
        | { updated_at?: string }
        | undefined;
      return {
        messages: [
          ...(wanted.has("items") ? readItems(records, from?.updated_at) : []),
          ...(wanted.has("tags") ? readTags() : []),
        ],
      };
    }
    case "write":
      return { messages: [], exitCode: 1, stderr: ["a source cannot write"] };
  }
}

/** Changes to the good answers, per command. */
export type Spoilers = Partial<
  Record<
    ConnectorInvocation["command"],
    (good: ScriptedAnswer, invocation: ConnectorInvocation) => ScriptedAnswer
  >
>;

/** Example: `scriptedSource({ spec: (good) => ({ messages: [...good.messages, ...good.messages] }) })`. */
export function scriptedSource(spoilers: Spoilers = {}): ConnectorHandle {
  return scriptedHandle("scripted source", (invocation) => {
    const good = goodAnswer(invocation);
    const spoil = spoilers[invocation.command];
    return spoil === undefined ? good : spoil(good, invocation);
  });
}

/** A config the good source reads 6 items and 2 tags with. */
export const SCRIPTED_CONFIG = { records: 6, api_key: "s3cr3t-value-123" };
