import {
  type AirbyteCatalog,
  type AirbyteStateMessage,
  type ConfiguredAirbyteCatalog,
  createProtocolValidator,
  type SyncMode,
  streamKey,
} from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../config-validation.js";
import type { SourceConnector } from "../define.js";
import { catalogProblems, createRecordChecker } from "./catalog-checks.js";
import { itChecksConfigs } from "./check-conformance.js";
import { type InProcessResult, runInProcess, streamStatuses } from "./run-in-process.js";
import { specProblems } from "./spec-checks.js";

/** Inputs of the source conformance suite. */
export interface SourceConformanceOptions {
  /** A config that works; keep reads small, the suite reads several times. */
  readonly config: unknown;
  /** A config that check must answer with FAILED (not an exception). */
  readonly invalidConfig?: unknown;
}

/** Asserts that every message of a run validates against the official protocol schema. Example: `expectProtocolMessages(await runInProcess(source, { command: "spec" }))` */
export function expectProtocolMessages(result: Pick<InProcessResult, "messages">): void {
  const validate = protocolValidator();
  const problems: string[] = [];
  for (const [i, message] of result.messages.entries()) {
    for (const error of validate(message)) problems.push(`message ${i} (${message.type}): ${error}`);
    if (problems.length >= 20) break;
  }
  expect(problems).toEqual([]);
}

let cachedValidator: ((message: unknown) => string[]) | undefined;
const protocolValidator = () => {
  cachedValidator ??= createProtocolValidator();
  return cachedValidator;
};

/**
 * A configured catalog of every stream that supports `mode`, as Airbyte's acceptance tests build it.
 * Example: `configuredCatalogFor(catalog, "incremental")`
 */
export function configuredCatalogFor(catalog: AirbyteCatalog, mode: SyncMode): ConfiguredAirbyteCatalog {
  return {
    streams: catalog.streams
      .filter((s) => s.supported_sync_modes.includes(mode))
      .map((stream) => ({
        stream,
        sync_mode: mode,
        destination_sync_mode: "append" as const,
        cursor_field: stream.default_cursor_field ?? null,
        primary_key: stream.source_defined_primary_key ?? null,
      })),
  };
}

/** The latest state per stream (or the last global one) of a read, as the next read's input. Example: `nextStateInput(first.states)` */
export function nextStateInput(states: readonly AirbyteStateMessage[]): AirbyteStateMessage[] {
  const latest = new Map<string, AirbyteStateMessage>();
  for (const state of states) {
    const key =
      state.type === "STREAM" && state.stream != null
        ? `s:${streamKey(state.stream.stream_descriptor)}`
        : "global";
    latest.set(key, state);
  }
  return [...latest.values()];
}

/**
 * Registers vitest tests that hold a source to the Airbyte protocol and acceptance-test rules:
 * spec, check, discover, full-refresh and incremental reads, every message schema-valid.
 * Example: `describeSourceConformance(sourceFaker, { config: { count: 20 }, invalidConfig: { count: "x" } })`
 */
export function describeSourceConformance(
  connector: SourceConnector<never>,
  options: SourceConformanceOptions,
): void {
  let discovered: Promise<InProcessResult> | undefined;
  const discover = () => {
    discovered ??= runInProcess(connector, { command: "discover", config: options.config });
    return discovered;
  };
  const catalogOf = async () => {
    const result = await discover();
    expect(result.errors).toEqual([]);
    if (result.catalog === undefined) throw new Error("discover printed no CATALOG");
    return result.catalog;
  };

  describe(`${connector.name} conformance (source)`, () => {
    it("spec: one valid SPEC, secrets marked, and the test config matches it", async () => {
      const result = await runInProcess(connector, { command: "spec" });
      expectProtocolMessages(result);
      expect(result.messages.filter((m) => m.type === "SPEC")).toHaveLength(1);
      if (result.spec === undefined) throw new Error("no SPEC");
      expect(specProblems(result.spec)).toEqual([]);
      const validation = validateConfig(result.spec, options.config);
      expect(validation.ok ? "valid" : validation.message).toBe("valid");
    });

    itChecksConfigs(connector, () => options.config, options.invalidConfig);

    it("discover: one CATALOG with unique streams, valid schemas, keys and cursors in the schema", async () => {
      const result = await discover();
      expectProtocolMessages(result);
      expect(result.messages.filter((m) => m.type === "CATALOG")).toHaveLength(1);
      expect(catalogProblems(await catalogOf())).toEqual([]);
    });

    it("read (full refresh): records match their schemas, every stream starts and completes", async (ctx) => {
      const catalog = configuredCatalogFor(await catalogOf(), "full_refresh");
      if (catalog.streams.length === 0) ctx.skip("no full_refresh streams");
      const result = await runInProcess(connector, { command: "read", config: options.config, catalog });
      expectProtocolMessages(result);
      expect(result.errors).toEqual([]);
      expect(result.records.length).toBeGreaterThan(0);
      const check = createRecordChecker(catalog);
      const problems = result.records.flatMap(check).slice(0, 20);
      expect(problems).toEqual([]);
      const statuses = streamStatuses(result);
      for (const configured of catalog.streams) {
        const s = configured.stream;
        const list = statuses[s.namespace ? `${s.namespace}.${s.name}` : s.name] ?? [];
        expect(list[0]).toBe("STARTED");
        expect(list.at(-1)).toBe("COMPLETE");
      }
    });

    it("read: only the configured streams are emitted", async () => {
      const all = await catalogOf();
      const first = all.streams[0];
      if (first === undefined) throw new Error("no streams");
      const mode: SyncMode = first.supported_sync_modes.includes("full_refresh")
        ? "full_refresh"
        : "incremental";
      const catalog = configuredCatalogFor({ streams: [first] }, mode);
      const result = await runInProcess(connector, { command: "read", config: options.config, catalog });
      expectProtocolMessages(result);
      expect(result.errors).toEqual([]);
      const key = streamKey(first);
      expect(
        result.records.filter((r) => streamKey({ name: r.stream, namespace: r.namespace }) !== key),
      ).toEqual([]);
      expect(Object.keys(streamStatuses(result))).toHaveLength(1);
    });

    it("read (incremental): STATE is emitted and a second read from it is not larger", async (ctx) => {
      const catalog = configuredCatalogFor(await catalogOf(), "incremental");
      if (catalog.streams.length === 0) ctx.skip("no incremental streams");
      const first = await runInProcess(connector, { command: "read", config: options.config, catalog });
      expectProtocolMessages(first);
      expect(first.errors).toEqual([]);
      expect(first.states.length).toBeGreaterThan(0);
      expect(first.states.every((s) => s.type !== "LEGACY" && s.sourceStats != null)).toBe(true);
      const second = await runInProcess(connector, {
        command: "read",
        config: options.config,
        catalog,
        state: nextStateInput(first.states),
      });
      expectProtocolMessages(second);
      expect(second.errors).toEqual([]);
      expect(second.records.length).toBeLessThanOrEqual(first.records.length);
      const check = createRecordChecker(catalog);
      expect(second.records.flatMap(check).slice(0, 20)).toEqual([]);
    });
  });
}
