// The conformance suites run against small, correct connectors (which must pass), and their
// checks run against broken inputs (which must be caught).
import { recordMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { defineDestination, defineSource } from "../define.js";
import { PROTOCOL_VERSION } from "../run-connector.js";
import { catalogProblems, createRecordChecker } from "./catalog-checks.js";
import { describeDestinationConformance } from "./destination-conformance.js";
import { configuredCatalogFor, describeSourceConformance } from "./source-conformance.js";
import { specProblems } from "./spec-checks.js";

interface SourceConfig {
  count: number;
  api_key?: string;
}

const itemSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    updated_at: { type: "string", format: "date-time", airbyte_type: "timestamp_without_timezone" },
  },
};

const source = defineSource<SourceConfig>({
  name: "source-conformant",
  version: "0.0.1",
  spec: {
    connectionSpecification: {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      required: ["count"],
      properties: {
        count: { type: "integer", minimum: 1 },
        api_key: { type: "string", airbyte_secret: true },
      },
    },
  },
  async check({ config }) {
    return config.api_key === "bad" ? { ok: false, message: "The API key was refused" } : { ok: true };
  },
  streams: () => [
    {
      name: "items",
      jsonSchema: itemSchema,
      supportedSyncModes: ["full_refresh", "incremental"],
      sourceDefinedCursor: true,
      defaultCursorField: ["updated_at"],
      primaryKey: [["id"]],
      async *read({ config, state }) {
        const from = (state as { id?: number } | undefined)?.id ?? 0;
        const records = [];
        for (let id = from + 1; id <= config.count; id++) {
          records.push({
            id,
            name: `item ${id}`,
            updated_at: `2024-01-01 00:00:${String(id % 60).padStart(2, "0")}`,
          });
        }
        yield { records, state: { id: config.count } };
      },
    },
    {
      name: "tags",
      namespace: "meta",
      jsonSchema: { type: "object", properties: { tag: { type: "string" } } },
      supportedSyncModes: ["full_refresh"],
      async *read() {
        yield { records: [{ tag: "a" }, { tag: "b" }] };
      },
    },
  ],
});

describeSourceConformance(source, { config: { count: 5 }, invalidConfig: { count: 5, api_key: "bad" } });

const tables = new Map<string, Map<string, Record<string, unknown>[]>>();
let nextTable = 0;

const destination = defineDestination<{ table: string }>({
  name: "destination-conformant",
  version: "0.0.1",
  spec: {
    connectionSpecification: {
      type: "object",
      required: ["table"],
      properties: { table: { type: "string", minLength: 1 } },
    },
    supported_destination_sync_modes: ["append", "overwrite"],
  },
  async open({ config }) {
    const staged: { stream: string; data: Record<string, unknown> }[] = [];
    const table = tables.get(config.table) ?? new Map<string, Record<string, unknown>[]>();
    tables.set(config.table, table);
    const commit = () => {
      for (const { stream, data } of staged.splice(0))
        table.set(stream, [...(table.get(stream) ?? []), data]);
    };
    return {
      write(records) {
        for (const r of records) staged.push({ stream: r.stream, data: r.data });
      },
      flush: async () => commit(),
      close: async ({ ok }) => {
        if (ok) commit();
      },
    };
  },
});

describeDestinationConformance(destination, {
  config: () => ({ table: `t${nextTable++}` }),
  invalidConfig: { table: "" },
  readBack: async (config, stream) => tables.get((config as { table: string }).table)?.get(stream) ?? [],
});

describe("conformance checks catch broken connectors", () => {
  it("specProblems: unmarked secrets, misplaced airbyte_secret, missing protocol_version", () => {
    expect(
      specProblems({
        connectionSpecification: {
          type: "object",
          properties: {
            password: { type: "string" },
            tunnel: { type: "object", oneOf: [{ properties: { Token: { type: "string" } } }] },
            ssl: { type: "boolean", airbyte_secret: true },
            primary_key: { type: "string" },
          },
        },
      }),
    ).toEqual([
      "protocol_version is missing",
      "password: looks like a secret but is not marked airbyte_secret",
      "tunnel.oneOf[0].Token: looks like a secret but is not marked airbyte_secret",
      "ssl: is marked airbyte_secret but is of type boolean, which cannot hold a secret",
    ]);
    expect(
      specProblems({ protocol_version: PROTOCOL_VERSION, connectionSpecification: { type: "wrong" } })[0],
    ).toMatch(/not a valid JSON Schema/);
  });

  it("catalogProblems: duplicates, bad schemas, keys and cursors missing from the schema", () => {
    const stream = { name: "a", json_schema: itemSchema, supported_sync_modes: ["full_refresh" as const] };
    expect(
      catalogProblems({
        streams: [
          { ...stream, source_defined_primary_key: [["uid"]], default_cursor_field: ["meta", "ts"] },
          { ...stream, json_schema: { type: 12 } },
        ],
      }),
    ).toEqual([
      'a: primary key ["uid"] is not in the schema',
      'a: default cursor ["meta","ts"] is not in the schema',
      "a: the stream name is not unique",
      expect.stringMatching(/^a: json_schema is not a valid JSON Schema/),
    ]);
    expect(catalogProblems({ streams: [{ ...stream, primary_key: [["id"]] }] })).toEqual([]);
  });

  it("createRecordChecker: wrong types, undeclared fields, unconfigured streams; Airbyte's timestamps pass", () => {
    const catalog = configuredCatalogFor(
      { streams: [{ name: "items", json_schema: itemSchema, supported_sync_modes: ["full_refresh"] }] },
      "full_refresh",
    );
    const check = createRecordChecker(catalog);
    expect(check(recordMessage("items", { id: 1, updated_at: "2021-10-02 14:54:58+00:00" }).record)).toEqual(
      [],
    );
    expect(
      check(recordMessage("items", { id: 1, updated_at: "2022-11-22T01:23:45.123456 BC" }).record),
    ).toEqual([]);
    expect(check(recordMessage("items", { id: "1", extra: true, updated_at: "yesterday" }).record)).toEqual([
      "items: /id must be integer",
      'items: /updated_at must match format "date-time"',
      "items: field extra is not in the schema",
    ]);
    expect(check(recordMessage("other", {}).record)).toEqual([
      "other: a record of a stream that is not configured",
    ]);
  });
});
