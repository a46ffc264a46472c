import { describe, expect, it } from "vitest";
import { defineDestination, defineSource } from "./define.js";
import { ConnectorError } from "./errors.js";
import { PROTOCOL_VERSION } from "./run-connector.js";
import { runInProcess } from "./testing/run-in-process.js";
import { expectProtocolMessages } from "./testing/source-conformance.js";

/** Runs in-process and checks every message against the official protocol schema. */
async function runChecked(...args: Parameters<typeof runInProcess>) {
  const result = await runInProcess(...args);
  expectProtocolMessages(result);
  return result;
}

interface Config {
  host: string;
  port: number;
  password?: string;
  mode?: "ok" | "refuse" | "throw" | "throw-classified";
}

const spec = {
  connectionSpecification: {
    type: "object",
    required: ["host"],
    properties: {
      host: { type: "string" },
      port: { type: "integer", default: 5432 },
      password: { type: "string", airbyte_secret: true },
      mode: { type: "string", enum: ["ok", "refuse", "throw", "throw-classified"] },
    },
  },
};

const source = defineSource<Config>({
  name: "source-check",
  version: "1.2.3",
  spec,
  async check({ config, logger }) {
    logger.log("INFO", `connecting to ${config.host}:${config.port} with ${config.password}`);
    if (config.mode === "refuse") return { ok: false, message: `password ${config.password} refused` };
    if (config.mode === "throw") throw new Error(`socket closed (${config.password})`);
    if (config.mode === "throw-classified")
      throw new ConnectorError("config_error", "Unknown host", "ENOTFOUND");
    return { ok: true };
  },
  streams: ({ config }) => [
    {
      name: "users",
      namespace: config.host,
      jsonSchema: { type: "object", properties: { id: { type: "integer" }, updated: { type: "string" } } },
      supportedSyncModes: ["full_refresh", "incremental"],
      primaryKey: [["id"]],
      defaultCursorField: ["updated"],
      sourceDefinedCursor: true,
      isResumable: false,
      read: async function* () {},
    },
    {
      name: "events",
      jsonSchema: { type: "object" },
      supportedSyncModes: ["full_refresh"],
      read: async function* () {},
    },
  ],
});

describe("runConnector spec", () => {
  it("prints one SPEC with the protocol version added", async () => {
    const result = await runChecked(source, { command: "spec" });
    expect(result.messages).toHaveLength(1);
    expect(result.spec).toEqual({ ...spec, protocol_version: PROTOCOL_VERSION });
  });

  it("keeps a destination's sync modes and a declared protocol version", async () => {
    const destination = defineDestination({
      name: "destination-x",
      version: "1.0.0",
      spec: {
        connectionSpecification: { type: "object" },
        supported_destination_sync_modes: ["append", "overwrite"],
        protocol_version: "0.5.0",
      },
      open: async () => ({ write() {}, flush: async () => {}, close: async () => {} }),
    });
    const result = await runChecked(destination, { command: "spec" });
    expect(result.spec?.supported_destination_sync_modes).toEqual(["append", "overwrite"]);
    expect(result.spec?.protocol_version).toBe("0.5.0");
  });
});

describe("runConnector check", () => {
  it("succeeds, with spec defaults applied and secrets masked in logs", async () => {
    const result = await runChecked(source, {
      command: "check",
      config: { host: "db", password: "s3cr3t-pw" },
    });
    expect(result.connectionStatus).toEqual({ status: "SUCCEEDED" });
    expect(result.logs).toEqual([{ level: "INFO", message: "connecting to db:5432 with **********" }]);
    expect(result.messages.at(-1)?.type).toBe("CONNECTION_STATUS");
  });

  it("fails on an invalid config, naming the field and never the secret", async () => {
    const result = await runChecked(source, {
      command: "check",
      config: { host: "db", port: "x", password: 12345678 },
    });
    expect(result.connectionStatus?.status).toBe("FAILED");
    expect(result.connectionStatus?.message).toBe(
      'The config is invalid: port: must be integer, got "x"; password: must be string',
    );
    expect(JSON.stringify(result.messages)).not.toContain("12345678");
    expect(result.errors).toEqual([]);
  });

  it("reports a refusal as FAILED with the connector's message, masked", async () => {
    const result = await runChecked(source, {
      command: "check",
      config: { host: "db", password: "s3cr3t-pw", mode: "refuse" },
    });
    expect(result.connectionStatus).toEqual({ status: "FAILED", message: "password ********** refused" });
  });

  it("turns an exception into FAILED plus a LOG with the stack", async () => {
    const result = await runChecked(source, {
      command: "check",
      config: { host: "db", password: "s3cr3t-pw", mode: "throw" },
    });
    expect(result.connectionStatus).toEqual({
      status: "FAILED",
      message: "The connection check failed: socket closed (**********)",
    });
    const error = result.logs.find((l) => l.level === "ERROR");
    expect(error?.stack_trace).toContain("run-connector.test.ts");
    expect(JSON.stringify(result.messages)).not.toContain("s3cr3t-pw");
    const classified = await runChecked(source, {
      command: "check",
      config: { host: "db", mode: "throw-classified" },
    });
    expect(classified.connectionStatus).toEqual({ status: "FAILED", message: "Unknown host" });
  });

  it("succeeds by default when the connector has no check", async () => {
    const { check: _, ...rest } = source;
    const result = await runChecked(rest, { command: "check", config: { host: "db" } });
    expect(result.connectionStatus).toEqual({ status: "SUCCEEDED" });
  });
});

describe("runConnector discover", () => {
  it("builds the catalog from the streams", async () => {
    const result = await runChecked(source, { command: "discover", config: { host: "crm" } });
    expect(result.catalog).toEqual({
      streams: [
        {
          name: "users",
          namespace: "crm",
          json_schema: {
            type: "object",
            properties: { id: { type: "integer" }, updated: { type: "string" } },
          },
          supported_sync_modes: ["full_refresh", "incremental"],
          source_defined_cursor: true,
          default_cursor_field: ["updated"],
          source_defined_primary_key: [["id"]],
          is_resumable: false,
        },
        { name: "events", json_schema: { type: "object" }, supported_sync_modes: ["full_refresh"] },
      ],
    });
  });

  it("stops with a config_error TRACE naming the field on an invalid config", async () => {
    const result = await runChecked(source, { command: "discover", config: { port: 1 } });
    expect(result.catalog).toBeUndefined();
    expect(result.errors).toEqual([
      { message: "The config is invalid: host: is required", failure_type: "config_error" },
    ]);
  });

  it("reports a failing streams() as a TRACE ERROR", async () => {
    const broken = { ...source, streams: () => Promise.reject(new Error("no schema access")) };
    const result = await runChecked(broken, { command: "discover", config: { host: "db" } });
    expect(result.errors[0]).toMatchObject({
      message: "Discovering the source's streams failed: no schema access",
      failure_type: "system_error",
      internal_message: "no schema access",
    });
  });

  it("refuses a command the connector kind does not have", async () => {
    const result = await runChecked(source, {
      command: "write",
      config: { host: "db" },
      catalog: { streams: [] },
      input: (async function* () {})(),
    });
    expect(result.errors[0]?.message).toBe("source-check is a source and has no write command");
  });
});
