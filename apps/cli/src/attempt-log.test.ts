import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { attemptLogPath, formatLogEntry, openAttemptLog } from "./attempt-log.js";
import { removeTempFolders, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

describe("attempt log", () => {
  it("is named for the pipeline and the start time", () => {
    expect(attemptLogPath("/p/.weir", "quickstart", new Date("2025-03-04T05:06:07.890Z"))).toBe(
      "/p/.weir/logs/quickstart-20250304T050607Z.log",
    );
  });

  it("writes aligned lines, indents continuations and redacts", async () => {
    const file = path.join(await tempFolder(), "logs", "p.log");
    const log = openAttemptLog(file, (t) => t.replaceAll("hunter22", "****"));
    const at = Date.parse("2025-01-01T00:00:00Z");
    log.write({ origin: "source", level: "WARN", message: "login as hunter22 failed\nretrying", at });
    log.write({ origin: "destination", level: "INFO", message: "ok", at });
    await log.close();
    expect(await readFile(file, "utf8")).toBe(
      [
        "2025-01-01T00:00:00.000Z WARN  source      login as **** failed",
        "                                           retrying",
        "2025-01-01T00:00:00.000Z INFO  destination ok",
        "",
      ].join("\n"),
    );
  });

  it("cuts huge messages", () => {
    const line = formatLogEntry({ origin: "source", level: "INFO", message: "x".repeat(100_000), at: 0 });
    expect(line.length).toBeLessThan(70_000);
    expect(line).toMatch(/… \(34464 more characters cut\)\n$/);
  });
});
