import { readFileSync } from "node:fs";
import { compileJsonSchema } from "@weir/cdk";
import { runInProcess } from "@weir/cdk/testing";
import type { AirbyteRecordMessage, ConfiguredAirbyteCatalog } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { purchaseCountUpTo } from "./fake-record-factory.js";
import { sourceFaker } from "./source-faker.js";

const FIXTURES = "/work/shared/airbyte-fixtures/source-faker";
const fixture = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`${FIXTURES}/${file}`, "utf8")) as Record<string, unknown>;

const RFC_3339_WITH_T = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?\+00:00$/;

async function catalogOf(
  config: Record<string, unknown>,
  syncMode: "full_refresh" | "incremental" = "full_refresh",
): Promise<ConfiguredAirbyteCatalog> {
  const { catalog } = await runInProcess(sourceFaker, { command: "discover", config });
  if (catalog === undefined) throw new Error("discover gave no catalog");
  return {
    streams: catalog.streams.map((stream) => ({
      stream,
      sync_mode: syncMode,
      destination_sync_mode: "append",
    })),
  };
}

async function read(config: Record<string, unknown>) {
  return runInProcess(sourceFaker, { command: "read", config, catalog: await catalogOf(config) });
}

const byStream = (records: readonly AirbyteRecordMessage[], stream: string) =>
  records.filter((r) => r.stream === stream).map((r) => r.data);

describe("source-faker spec and catalog", () => {
  it("has the fields, types, defaults and minimums of Airbyte's source-faker spec", async () => {
    const { spec } = await runInProcess(sourceFaker, { command: "spec" });
    const ours = spec?.connectionSpecification as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    const airbyte = fixture("spec.json").connectionSpecification as typeof ours;
    expect(ours.required).toEqual(airbyte.required);
    expect(Object.keys(ours.properties).sort()).toEqual(Object.keys(airbyte.properties).sort());
    for (const [name, field] of Object.entries(airbyte.properties)) {
      for (const key of ["type", "default", "minimum"])
        expect([name, ours.properties[name]?.[key]]).toEqual([name, field[key]]);
    }
  });

  it("discovers users, products and purchases with the fixture's fields, keyed by id, cursor updated_at", async () => {
    const { catalog } = await runInProcess(sourceFaker, { command: "discover", config: { count: 1 } });
    const fixtureStreams = (
      fixture("configured_catalog.json").streams as {
        stream: { name: string; json_schema: { properties: Record<string, unknown> } };
      }[]
    ).map((s) => s.stream);
    expect(catalog?.streams.map((s) => s.name).sort()).toEqual(["products", "purchases", "users"]);
    for (const stream of catalog?.streams ?? []) {
      const theirs = fixtureStreams.find((s) => s.name === stream.name);
      const ours = (stream.json_schema as { properties: Record<string, unknown> }).properties;
      // Every fixture field, typed the same; only created_at/updated_at are added.
      for (const [field, type] of Object.entries(theirs?.json_schema.properties ?? {}))
        expect(ours[field]).toEqual(type);
      const added = Object.keys(ours).filter((f) => !(f in (theirs?.json_schema.properties ?? {})));
      expect(added.every((f) => f === "created_at" || f === "updated_at")).toBe(true);
      expect(ours).toHaveProperty("updated_at");
      expect(stream.source_defined_primary_key).toEqual([["id"]]);
      expect(stream.default_cursor_field).toEqual(["updated_at"]);
      expect(stream.source_defined_cursor).toBe(true);
      expect(stream.supported_sync_modes).toEqual(["full_refresh", "incremental"]);
    }
  });

  it("checks a valid config as ok and refuses Airbyte's invalid one by field name", async () => {
    const ok = await runInProcess(sourceFaker, { command: "check", config: fixture("sample_config.json") });
    expect(ok.connectionStatus?.status).toBe("SUCCEEDED");
    const bad = await runInProcess(sourceFaker, { command: "check", config: fixture("invalid_config.json") });
    expect(bad.connectionStatus?.status).toBe("FAILED");
    expect(bad.connectionStatus?.message).toContain("count");
  });
});

describe("source-faker read", () => {
  it("emits count users, their purchases and 100 products, each valid against its stream schema", async () => {
    const config = { count: 250, seed: 7, always_updated: false };
    const result = await read(config);
    expect(result.errors).toEqual([]);
    const catalog = await catalogOf(config);
    const counts: Record<string, number> = {};
    for (const { stream } of catalog.streams) {
      const validate = compileJsonSchema(stream.json_schema);
      const records = byStream(result.records, stream.name);
      counts[stream.name] = records.length;
      const timestampFields = Object.entries(
        stream.json_schema.properties as Record<string, { format?: string }>,
      )
        .filter(([, p]) => p.format === "date-time")
        .map(([f]) => f);
      for (const data of records) {
        expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
        for (const field of timestampFields)
          if (data[field] !== null) expect(data[field]).toMatch(RFC_3339_WITH_T);
      }
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    }
    expect(counts).toEqual({ users: 250, products: 100, purchases: purchaseCountUpTo(250) });
  });

  it("reports an ESTIMATE of the rows to come per stream", async () => {
    const result = await read({ count: 30, seed: 1 });
    const estimates = result.traces
      .filter((t) => t.type === "ESTIMATE")
      .map((t) => [t.estimate?.name, t.estimate?.row_estimate]);
    expect(estimates).toEqual([
      ["users", 30],
      ["products", 100],
      ["purchases", purchaseCountUpTo(30)],
    ]);
  });

  it("gives the same records for the same seed, whatever the slice size", async () => {
    const a = await read({ count: 120, seed: 99, always_updated: false, records_per_slice: 1000 });
    const b = await read({ count: 120, seed: 99, always_updated: false, records_per_slice: 7 });
    expect(b.records.map((r) => r.data)).toEqual(a.records.map((r) => r.data));
    // Smaller slices mean more checkpoints: one STATE per slice.
    expect(b.states.filter((s) => s.stream?.stream_descriptor.name === "users")).toHaveLength(
      Math.ceil(120 / 7),
    );
  });

  it("gives different users for a different seed, and for seed -1 on every run", async () => {
    const a = byStream((await read({ count: 20, seed: 1, always_updated: false })).records, "users");
    const b = byStream((await read({ count: 20, seed: 2, always_updated: false })).records, "users");
    const r1 = byStream((await read({ count: 20, always_updated: false })).records, "users");
    const r2 = byStream((await read({ count: 20, always_updated: false })).records, "users");
    expect(a).not.toEqual(b);
    expect(r1).not.toEqual(r2);
  });

  it("stamps every record with the sync's clock when always_updated", async () => {
    const before = Date.now();
    const result = await read({ count: 15, seed: 3, always_updated: true });
    const stamps = new Set(result.records.map((r) => r.data.updated_at));
    expect(stamps.size).toBe(1);
    expect(Date.parse([...stamps][0] as string)).toBeGreaterThanOrEqual(before);
  });
});
