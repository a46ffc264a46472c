import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateConfig } from "@weir/cdk";
import {
  catalogProblems,
  configuredCatalogFor,
  createRecordChecker,
  expectProtocolMessages,
  nextStateInput,
  runInProcess,
  specProblems,
  streamStatuses,
} from "@weir/cdk/testing";
import { afterAll, describe, expect, it } from "vitest";
import { sourceJsonl } from "./source-jsonl.js";

// describeSourceConformance, minus one rule: it wants a default_cursor_field for every
// source-defined cursor (Airbyte's acceptance tests do), but this source's cursor is the file's
// byte offset, which no record field holds, and adding one would change the replayed data.
// Every other check of the suite runs here as there.
const CURSOR_RULE = "a source-defined cursor needs default_cursor_field";

const dir = mkdtempSync(join(tmpdir(), "weir-source-jsonl-conformance-"));
const raw = (data: Record<string, unknown>) =>
  `${JSON.stringify({ _airbyte_raw_id: `id-${data.id}`, _airbyte_extracted_at: 1, _airbyte_meta: { changes: [] }, _airbyte_generation_id: 0, _airbyte_data: data })}\n`;
writeFileSync(
  join(dir, "users.jsonl"),
  [1, 2, 3].map((id) => raw({ id, name: `user ${id}`, at: "2024-01-01T00:00:00+00:00" })).join(""),
);
mkdirSync(join(dir, "shop"));
writeFileSync(join(dir, "shop", "orders.jsonl"), '{"id":1,"total":9.5}\n{"id":2,"total":null}\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = { path: dir };

async function discovered() {
  const result = await runInProcess(sourceJsonl, { command: "discover", config });
  expect(result.errors).toEqual([]);
  if (result.catalog === undefined) throw new Error("discover printed no CATALOG");
  return { result, catalog: result.catalog };
}

describe("source-jsonl conformance (source)", () => {
  it("spec: one valid SPEC, and the test config matches it", async () => {
    const result = await runInProcess(sourceJsonl, { command: "spec" });
    expectProtocolMessages(result);
    if (result.spec === undefined) throw new Error("no SPEC");
    expect(specProblems(result.spec)).toEqual([]);
    const validation = validateConfig(result.spec, config);
    expect(validation.ok ? "valid" : validation.message).toBe("valid");
  });

  it("check: SUCCEEDED with the config, FAILED with a message for a missing folder", async () => {
    const ok = await runInProcess(sourceJsonl, { command: "check", config });
    expectProtocolMessages(ok);
    expect(ok.connectionStatus).toEqual({ status: "SUCCEEDED" });
    const bad = await runInProcess(sourceJsonl, { command: "check", config: { path: join(dir, "missing") } });
    expectProtocolMessages(bad);
    expect(bad.connectionStatus?.status).toBe("FAILED");
    expect(bad.connectionStatus?.message).toBeTruthy();
  });

  it("discover: one CATALOG with unique streams and valid schemas", async () => {
    const { result, catalog } = await discovered();
    expectProtocolMessages(result);
    expect(result.messages.filter((m) => m.type === "CATALOG")).toHaveLength(1);
    expect(catalogProblems(catalog).filter((p) => !p.endsWith(CURSOR_RULE))).toEqual([]);
    // The exception is real: each stream has a source-defined cursor and no cursor field.
    expect(catalogProblems(catalog).filter((p) => p.endsWith(CURSOR_RULE))).toHaveLength(2);
  });

  it("read (full refresh): records match their schemas, every stream starts and completes", async () => {
    const catalog = configuredCatalogFor((await discovered()).catalog, "full_refresh");
    const result = await runInProcess(sourceJsonl, { command: "read", config, catalog });
    expectProtocolMessages(result);
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(5);
    expect(result.records.flatMap(createRecordChecker(catalog))).toEqual([]);
    expect(streamStatuses(result)).toEqual({
      users: ["STARTED", "RUNNING", "COMPLETE"],
      "shop.orders": ["STARTED", "RUNNING", "COMPLETE"],
    });
  });

  it("read: only the configured streams are emitted", async () => {
    const { catalog: all } = await discovered();
    const users = all.streams.filter((s) => s.name === "users");
    const result = await runInProcess(sourceJsonl, {
      command: "read",
      config,
      catalog: configuredCatalogFor({ streams: users }, "full_refresh"),
    });
    expect(result.errors).toEqual([]);
    expect(new Set(result.records.map((r) => r.stream))).toEqual(new Set(["users"]));
    expect(Object.keys(streamStatuses(result))).toEqual(["users"]);
  });

  it("read (incremental): STATE with counts, and a second read from it emits nothing new", async () => {
    const catalog = configuredCatalogFor((await discovered()).catalog, "incremental");
    const first = await runInProcess(sourceJsonl, { command: "read", config, catalog });
    expectProtocolMessages(first);
    expect(first.errors).toEqual([]);
    expect(first.states.every((s) => s.type === "STREAM" && s.sourceStats != null)).toBe(true);
    const second = await runInProcess(sourceJsonl, {
      command: "read",
      config,
      catalog,
      state: nextStateInput(first.states),
    });
    expectProtocolMessages(second);
    expect(second.errors).toEqual([]);
    expect(second.records).toEqual([]);
    expect(nextStateInput(second.states)).toHaveLength(2);
  });
});
