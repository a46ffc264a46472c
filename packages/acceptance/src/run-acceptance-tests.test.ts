import { createInProcessHandle } from "@weir/runtime";
import { describe, expect, it } from "vitest";
import type { CheckResult } from "./acceptance-types.js";
import { runAcceptanceTests } from "./run-acceptance-tests.js";
import { failedIds, resultOf, testConnector } from "./test-fixtures/acceptance-helpers.js";
import { memoryDestination, memoryReadBack, type Tables } from "./test-fixtures/memory-destination.js";
import { SAMPLE_CONFIG, sampleSource } from "./test-fixtures/sample-source.js";
import { SCRIPTED_CONFIG, scriptedSource } from "./test-fixtures/scripted-source.js";

describe("runAcceptanceTests on connectors that follow every rule", () => {
  it("passes a CDK source: every phase runs, nothing fails, the future state is derived", async () => {
    const seen: CheckResult[] = [];
    const report = await testConnector(sampleSource(), SAMPLE_CONFIG, { onResult: (r) => seen.push(r) });
    expect(failedIds(report)).toEqual([]);
    expect(report.status).toBe("passed");
    expect(report.kind).toBe("source");
    expect(seen).toEqual(report.checks);
    const phases = new Set(report.checks.map((c) => c.phase));
    expect([...phases]).toEqual([
      "spec",
      "check",
      "discover",
      "read",
      "full_refresh",
      "incremental",
      "protocol",
    ]);
    expect(resultOf(report, "incremental.future_state").reason).toContain(
      "users.updated_at moved to the year 2999",
    );
    expect(resultOf(report, "incremental.resume_from_checkpoints").reason).toContain(
      "users: 3 checkpoint(s)",
    );
    expect(resultOf(report, "check.fails").reason).toContain("derived config");
    expect(resultOf(report, "protocol.secrets_hidden").status).toBe("passed");
    expect(report.summary).toEqual({
      passed: report.checks.filter((c) => c.status === "passed").length,
      failed: 0,
      skipped: report.checks.filter((c) => c.status === "skipped").length,
    });
  });

  it("passes a source answering by hand, with records expected and a future state given", async () => {
    const report = await testConnector(scriptedSource(), SCRIPTED_CONFIG, {
      expectedRecords: [{ stream: "items", data: { id: 2, updated_at: "2024-01-02T00:00:00+00:00" } }],
      futureState: [
        {
          type: "STREAM",
          stream: {
            stream_descriptor: { name: "items" },
            stream_state: { updated_at: "2999-01-01T00:00:00Z" },
          },
        },
      ],
    });
    expect(failedIds(report)).toEqual([]);
    expect(resultOf(report, "read.expected_records").status).toBe("passed");
    expect(resultOf(report, "incremental.future_state").reason).toBe("the given future state");
  });

  it("passes a destination, reading back through a source; without one the data checks are skipped", async () => {
    const tables: Tables = new Map();
    const withReadBack = await testConnector(
      memoryDestination(tables),
      {},
      {
        readBack: { handle: createInProcessHandle(memoryReadBack(tables)), config: {} },
      },
    );
    expect(failedIds(withReadBack)).toEqual([]);
    expect(withReadBack.kind).toBe("destination");
    for (const mode of ["append", "overwrite", "append_dedup"]) {
      expect(resultOf(withReadBack, `write.${mode}.states`).status).toBe("passed");
      expect(resultOf(withReadBack, `write.${mode}.data`).status).toBe("passed");
    }
    const blind = await testConnector(memoryDestination(new Map()), {});
    expect(resultOf(blind, "write.overwrite.data")).toMatchObject({
      status: "skipped",
      reason: "no read-back source given: what the destination wrote was not read back",
    });
    expect(blind.status).toBe("passed");
  });

  it("checks every config and labels the checks when there are several", async () => {
    const report = await runAcceptanceTests({
      handle: createInProcessHandle(sampleSource()),
      configs: [
        { label: "a.json", config: SAMPLE_CONFIG },
        { label: "b.json", config: { count: "many" } },
      ],
      invalidConfigs: [{ label: "bad.json", config: { count: -1 } }],
    });
    const valid = report.checks.filter((c) => c.id === "spec.config_valid");
    expect(valid.map((c) => [c.config, c.status])).toEqual([
      ["a.json", "passed"],
      ["b.json", "failed"],
    ]);
    expect(valid[1]).toMatchObject({
      failureType: "config_error",
      reason: 'b.json: count: must be integer, got "many"',
    });
    expect(report.checks.filter((c) => c.id === "check.succeeds").map((c) => c.status)).toEqual([
      "passed",
      "failed",
    ]);
    expect(resultOf(report, "check.fails")).toMatchObject({ status: "passed" });
    expect(resultOf(report, "check.fails").config).toBeUndefined();
  });

  it("reads only the streams of a given catalog, and names those discover does not list", async () => {
    const stream = (name: string) => ({
      name,
      json_schema: {},
      supported_sync_modes: ["full_refresh" as const],
    });
    const report = await testConnector(scriptedSource(), SCRIPTED_CONFIG, {
      catalog: {
        streams: [
          { stream: stream("tags"), sync_mode: "full_refresh", destination_sync_mode: "append" },
          { stream: stream("ghost"), sync_mode: "full_refresh", destination_sync_mode: "append" },
        ],
      },
    });
    expect(failedIds(report)).toEqual(["read.configured_catalog"]);
    expect(resultOf(report, "read.configured_catalog")).toMatchObject({
      reason: "not discovered: ghost",
      failureType: "config_error",
    });
    expect(resultOf(report, "read.records").reason).toBe("2 record(s)");
    expect(resultOf(report, "incremental.cursors")).toMatchObject({
      status: "skipped",
      reason: "no stream to read supports incremental",
    });
  });

  it("stops when cancelled: the running check and every later one are skipped", async () => {
    const controller = new AbortController();
    const report = await testConnector(sampleSource(), SAMPLE_CONFIG, {
      signal: controller.signal,
      onResult: (r) => {
        if (r.id === "discover.catalog") controller.abort();
      },
    });
    expect(report.status).toBe("cancelled");
    expect(failedIds(report)).toEqual([]);
    expect(resultOf(report, "read.records")).toMatchObject({ status: "skipped", reason: "cancelled" });
  });
});
