import { expect, it } from "vitest";
import type { Connector } from "../define.js";
import { runInProcess } from "./run-in-process.js";
import { expectProtocolMessages } from "./source-conformance.js";

/**
 * Registers the `check` tests both conformance suites share: one CONNECTION_STATUS SUCCEEDED
 * for a good config, FAILED with a message (not a crash) for a bad one.
 * Example (inside a describe): `itChecksConfigs(source, () => config, invalidConfig)`.
 */
export function itChecksConfigs(connector: Connector, config: () => unknown, invalidConfig: unknown): void {
  it("check: SUCCEEDED with the config", async () => {
    const result = await runInProcess(connector, { command: "check", config: config() });
    expectProtocolMessages(result);
    expect(result.messages.filter((m) => m.type === "CONNECTION_STATUS")).toHaveLength(1);
    expect(result.connectionStatus).toEqual({ status: "SUCCEEDED" });
    expect(result.errors).toEqual([]);
  });

  it("check: FAILED, with a message, for the invalid config", async (ctx) => {
    if (invalidConfig === undefined) ctx.skip("no invalidConfig given");
    const result = await runInProcess(connector, { command: "check", config: invalidConfig });
    expectProtocolMessages(result);
    expect(result.connectionStatus?.status).toBe("FAILED");
    expect(result.connectionStatus?.message).toBeTruthy();
  });
}
