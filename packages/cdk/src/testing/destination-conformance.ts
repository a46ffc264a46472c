import {
  type AirbyteMessage,
  type AirbyteStateMessage,
  type ConfiguredAirbyteCatalog,
  type DestinationSyncMode,
  recordMessage,
  streamKey,
  streamStateMessage,
  streamStatusTrace,
} from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../config-validation.js";
import type { DestinationConnector } from "../define.js";
import { itChecksConfigs } from "./check-conformance.js";
import { messageInput, runInProcess } from "./run-in-process.js";
import { expectProtocolMessages } from "./source-conformance.js";
import { specProblems } from "./spec-checks.js";

/** Inputs of the destination conformance suite. */
export interface DestinationConformanceOptions {
  /** A working config, fresh for each test (e.g. a new temp dir or database file). */
  readonly config: () => unknown;
  /** A config that check must answer with FAILED and write with a config_error TRACE. */
  readonly invalidConfig?: unknown;
  /** Reads back what a write left in the destination, to check that every record landed. */
  readonly readBack?: (config: unknown, stream: string) => Promise<Record<string, unknown>[]>;
}

const USERS = "conformance_users";
const EVENTS = "conformance_events";
const UNKNOWN = "conformance_not_in_catalog";

const schema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    updated_at: { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
  },
};

function catalogFor(mode: DestinationSyncMode): ConfiguredAirbyteCatalog {
  return {
    streams: [USERS, EVENTS].map((name) => ({
      stream: { name, json_schema: schema, supported_sync_modes: ["full_refresh", "incremental"] },
      sync_mode: "incremental",
      destination_sync_mode: mode,
      cursor_field: ["updated_at"],
      primary_key: [["id"]],
      generation_id: 1,
      minimum_generation_id: 0,
      sync_id: 1,
    })),
  };
}

const row = (id: number) => ({ id, name: `name ${id}`, updated_at: `2024-01-0${1 + (id % 9)}T00:00:00Z` });
const records = (stream: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => recordMessage(stream, row(from + i)));

/** users 1-3, state, events 1-2, state, users 4-5, state, events 3, state, both streams complete. */
function sampleInput(withUnknown: boolean): AirbyteMessage[] {
  const state = (stream: string, cursor: number, count: number) =>
    streamStateMessage({ name: stream }, { cursor }, count);
  return [
    ...records(USERS, 1, 3),
    ...(withUnknown ? records(UNKNOWN, 1, 2) : []),
    state(USERS, 3, 3),
    ...records(EVENTS, 1, 2),
    state(EVENTS, 2, 2),
    ...records(USERS, 4, 5),
    state(USERS, 5, 2),
    ...(withUnknown ? records(UNKNOWN, 3, 3) : []),
    ...records(EVENTS, 3, 3),
    state(EVENTS, 3, 1),
    streamStatusTrace({ name: USERS }, "COMPLETE"),
    streamStatusTrace({ name: EVENTS }, "COMPLETE"),
  ];
}

const perStream = (states: readonly AirbyteStateMessage[]) => {
  const out: Record<string, unknown[]> = {};
  for (const s of states) {
    const key = s.stream == null ? "(global)" : streamKey(s.stream.stream_descriptor);
    const list = out[key] ?? [];
    list.push([s.stream?.stream_state, s.destinationStats?.recordCount ?? s.sourceStats?.recordCount]);
    out[key] = list;
  }
  return out;
};

/**
 * Registers vitest tests that hold a destination to the protocol: spec, check, states echoed in
 * order after their records, records of unknown streams ignored, config errors reported.
 * Example: `describeDestinationConformance(destinationJsonl, { config: () => ({ path: tmp() }) })`
 */
export function describeDestinationConformance(
  connector: DestinationConnector<never>,
  options: DestinationConformanceOptions,
): void {
  const mode = (): DestinationSyncMode => {
    const modes = connector.spec.supported_destination_sync_modes ?? [];
    return modes.includes("append") ? "append" : (modes[0] ?? "append");
  };
  const write = (config: unknown, input: AirbyteMessage[]) =>
    runInProcess(connector, {
      command: "write",
      config,
      catalog: catalogFor(mode()),
      input: messageInput(input, 4),
    });

  const expectEchoes = (states: readonly AirbyteStateMessage[], input: readonly AirbyteMessage[]) => {
    const sent = input.flatMap((m) => (m.type === "STATE" ? [m.state] : []));
    // Per stream, every state comes back in order, counting the records sent before it.
    expect(perStream(states)).toEqual(perStream(sent));
  };

  const expectReadBack = async (config: unknown) => {
    if (options.readBack === undefined) return;
    const users = await options.readBack(config, USERS);
    expect(users.map((u) => u.id).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(users.find((u) => u.id === 4)).toMatchObject({ name: "name 4" });
    const events = await options.readBack(config, EVENTS);
    expect(events.map((e) => e.id).sort()).toEqual([1, 2, 3]);
  };

  describe(`${connector.name} conformance (destination)`, () => {
    it("spec: one valid SPEC with its sync modes; the test config matches it", async () => {
      const result = await runInProcess(connector, { command: "spec" });
      expectProtocolMessages(result);
      expect(result.messages.filter((m) => m.type === "SPEC")).toHaveLength(1);
      if (result.spec === undefined) throw new Error("no SPEC");
      expect(specProblems(result.spec)).toEqual([]);
      expect(result.spec.supported_destination_sync_modes?.length ?? 0).toBeGreaterThan(0);
      const validation = validateConfig(result.spec, options.config());
      expect(validation.ok ? "valid" : validation.message).toBe("valid");
    });

    itChecksConfigs(connector, options.config, options.invalidConfig);

    it("write: echoes every state in order, after its records, and keeps every record", async () => {
      const config = options.config();
      const input = sampleInput(false);
      const result = await write(config, input);
      expectProtocolMessages(result);
      expect(result.errors).toEqual([]);
      expectEchoes(result.states, input);
      await expectReadBack(config);
    });

    it("write: records of a stream not in the catalog are ignored", async () => {
      const config = options.config();
      const input = sampleInput(true);
      const result = await write(config, input);
      expectProtocolMessages(result);
      expect(result.errors).toEqual([]);
      expectEchoes(result.states, input);
      await expectReadBack(config);
    });

    it("write: an invalid config is a config_error TRACE", async (ctx) => {
      if (options.invalidConfig === undefined) ctx.skip("no invalidConfig given");
      const result = await write(options.invalidConfig, sampleInput(false));
      expectProtocolMessages(result);
      expect(result.states).toEqual([]);
      expect(result.errors.map((e) => e.failure_type)).toContain("config_error");
    });
  });
}
