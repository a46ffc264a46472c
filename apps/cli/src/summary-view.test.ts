import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration } from "./number-formats.js";
import { paintFor, renderSyncReport, type SyncReport, syncReportJson } from "./summary-view.js";

const report: SyncReport = {
  status: "succeeded",
  failure: undefined,
  durationMs: 1234,
  streams: [
    {
      name: "users",
      namespace: undefined,
      recordsEmitted: 1000,
      recordsCommitted: 1000,
      bytesEmitted: 217_600,
      status: "COMPLETE",
    },
    {
      name: "orders",
      namespace: "shop",
      recordsEmitted: 25,
      recordsCommitted: 20,
      bytesEmitted: 900,
      status: undefined,
    },
  ],
  notes: [],
  stateFile: ".weir/p.state.json",
  logFile: ".weir/logs/p-1.log",
};

describe("renderSyncReport", () => {
  it("prints a table with totals, the outcome, and where state and log are", () => {
    expect(renderSyncReport(report)).toBe(
      [
        "stream       emitted  committed      bytes  status",
        "users          1,000      1,000  212.5 KiB  complete",
        "shop.orders       25         20      900 B  done",
        "total          1,025      1,020  213.4 KiB",
        "",
        "✓ sync succeeded in 1.2 s: 1,020 of 1,025 records committed",
        "  state: .weir/p.state.json",
        "  log:   .weir/logs/p-1.log",
        "",
      ].join("\n"),
    );
  });

  it("names the failure's type and origin, and lists notes", () => {
    const failed: SyncReport = {
      ...report,
      status: "failed",
      streams: [{ ...report.streams[0], status: "RUNNING" } as SyncReport["streams"][number]],
      failure: { type: "config_error", origin: "source", message: "count: must be integer\nsecond line" },
      notes: ["the destination echoed no state"],
    };
    const text = renderSyncReport(failed);
    expect(text).toContain("users     1,000      1,000  212.5 KiB  incomplete");
    expect(text).toContain(
      "✗ sync failed (config_error from source): count: must be integer\n  second line\n",
    );
    expect(text).toContain("  note: the destination echoed no state\n");
    const cancelled = renderSyncReport({
      ...report,
      status: "cancelled",
      failure: { type: "transient_error", origin: "platform", message: "interrupted" },
    });
    expect(cancelled).toContain("✗ sync cancelled (transient_error): interrupted");
  });

  it("colours only on a terminal without NO_COLOR", () => {
    expect(paintFor({ isTTY: false }, {}).green("x")).toBe("x");
    expect(paintFor({ isTTY: true }, { NO_COLOR: "1" }).green("x")).toBe("x");
    expect(paintFor({ isTTY: true }, {}).green("x")).toBe("\u001b[32mx\u001b[39m");
  });
});

describe("syncReportJson", () => {
  it("has the documented shape", () => {
    expect(
      syncReportJson({
        ...report,
        status: "cancelled",
        failure: { type: "transient_error", origin: "platform", message: "m" },
      }),
    ).toEqual({
      status: "failed",
      failure: { type: "transient_error", message: "m", origin: "platform" },
      duration_ms: 1234,
      streams: [
        {
          name: "users",
          namespace: null,
          records_emitted: 1000,
          records_committed: 1000,
          records_filtered: 0,
          records_invalid: 0,
          bytes_emitted: 217_600,
        },
        {
          name: "orders",
          namespace: "shop",
          records_emitted: 25,
          records_committed: 20,
          records_filtered: 0,
          records_invalid: 0,
          bytes_emitted: 900,
        },
      ],
      notes: [],
      state_file: ".weir/p.state.json",
      log_file: ".weir/logs/p-1.log",
    });
  });
});

describe("number formats", () => {
  it("formats sizes and durations", () => {
    expect([formatBytes(0), formatBytes(2048), formatBytes(5 * 1024 ** 3)]).toEqual([
      "0 B",
      "2.0 KiB",
      "5.0 GiB",
    ]);
    expect([
      formatDuration(840),
      formatDuration(12_345),
      formatDuration(125_000),
      formatDuration(3_720_000),
    ]).toEqual(["0.84 s", "12.3 s", "2 min 05 s", "1 h 02 min"]);
  });
});
