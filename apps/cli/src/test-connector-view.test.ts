import type { AcceptanceReport, CheckResult } from "@weir/acceptance";
import { describe, expect, it } from "vitest";
import type { Paint } from "./summary-view.js";
import { acceptanceReportJson, checkLine, summaryLine } from "./test-connector-view.js";

const passedCheck: CheckResult = {
  id: "spec.protocol_version",
  phase: "spec",
  title: "declares protocol_version",
  status: "passed",
  reason: "0.18.0",
  durationMs: 2,
};
const failedCheck: CheckResult = {
  id: "full_refresh.same_records",
  phase: "full_refresh",
  title: "two consecutive reads return the same records",
  status: "failed",
  reason: "users: 1 record(s) only in the first read",
  failureType: "system_error",
  config: "b.json",
  durationMs: 140,
};
const skippedCheck: CheckResult = {
  id: "read.expected_records",
  phase: "read",
  title: "the expected records are read",
  status: "skipped",
  reason: "no expected records given",
  durationMs: 0,
};
const report = (status: AcceptanceReport["status"], checks: CheckResult[]): AcceptanceReport => ({
  status,
  connector: "built-in source-faker",
  kind: "source",
  checks,
  summary: {
    passed: checks.filter((c) => c.status === "passed").length,
    failed: checks.filter((c) => c.status === "failed").length,
    skipped: checks.filter((c) => c.status === "skipped").length,
  },
  durationMs: 1234,
});

describe("test-connector view", () => {
  it("writes a line per check: mark, phase, title, config, reason (with the class of a failure), time", () => {
    expect(checkLine(passedCheck)).toBe("✓ spec: declares protocol_version (0.18.0) 2 ms");
    expect(checkLine(failedCheck)).toBe(
      "✗ full refresh: two consecutive reads return the same records [b.json] (system_error: users: 1 record(s) only in the first read) 140 ms",
    );
    expect(checkLine(skippedCheck)).toBe(
      "– read: the expected records are read (no expected records given) 0 ms",
    );
  });

  it("paints failures red and skips dim, on a terminal", () => {
    const paint: Paint = {
      green: (t) => `<g>${t}</g>`,
      red: (t) => `<r>${t}</r>`,
      dim: (t) => `<d>${t}</d>`,
    };
    expect(checkLine(failedCheck, paint)).toMatch(/^<r>✗ .*<\/r> <d>140 ms<\/d>$/);
    expect(checkLine(skippedCheck, paint)).toMatch(/^<d>– .*<\/d> <d>0 ms<\/d>$/);
    expect(summaryLine(report("passed", [passedCheck]), paint)).toMatch(/^<g>✓ /);
  });

  it("sums up: passed only when nothing failed", () => {
    expect(summaryLine(report("passed", [passedCheck, skippedCheck]))).toBe(
      "✓ built-in source-faker passed: 1 passed, 0 failed, 1 skipped in 1.2 s",
    );
    expect(summaryLine(report("failed", [passedCheck, failedCheck]))).toBe(
      "✗ built-in source-faker failed: 1 passed, 1 failed, 0 skipped in 1.2 s",
    );
    expect(summaryLine(report("cancelled", [passedCheck]))).toBe(
      "✗ built-in source-faker: cancelled; 1 passed, 0 failed, 0 skipped in 1.2 s",
    );
  });

  it("prints one JSON object with snake_case fields, as weir sync --json does", () => {
    expect(acceptanceReportJson(report("failed", [failedCheck, skippedCheck]))).toEqual({
      status: "failed",
      connector: "built-in source-faker",
      kind: "source",
      duration_ms: 1234,
      checks: [
        {
          id: "full_refresh.same_records",
          phase: "full_refresh",
          title: "two consecutive reads return the same records",
          status: "failed",
          reason: "users: 1 record(s) only in the first read",
          failure_type: "system_error",
          config: "b.json",
          duration_ms: 140,
        },
        {
          id: "read.expected_records",
          phase: "read",
          title: "the expected records are read",
          status: "skipped",
          reason: "no expected records given",
          duration_ms: 0,
        },
      ],
      summary: { passed: 0, failed: 1, skipped: 1 },
    });
  });
});
