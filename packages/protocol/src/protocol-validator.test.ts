import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createProtocolValidator } from "./protocol-validator.js";
import { sampleConfiguredCatalog, sampleMessages } from "./sample-messages.js";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sharedDir = resolve(packageDir, "../../../shared");
const haveShared = existsSync(resolve(sharedDir, "airbyte-protocol/airbyte_protocol.yaml"));

const validate = createProtocolValidator();

describe("createProtocolValidator", () => {
  it.each(Object.entries(sampleMessages))("accepts the sample %s message", (_name, message) => {
    expect(validate(message)).toEqual([]);
  });

  it("names the field and the rule of each error", () => {
    const record = { type: "RECORD", record: { stream: "users", data: {}, emitted_at: 1.5 } };
    expect(validate(record)).toEqual(["message.record.emitted_at: must be integer"]);
    expect(validate({ type: "RECORD", record: { stream: "users", emitted_at: 1 } })).toEqual([
      "message.record: must have required property 'data'",
    ]);
    expect(validate({ type: "LOG", log: { level: "LOUD", message: "hi" } })).toEqual([
      'message.log.level: must be one of "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"',
    ]);
  });

  it("reports every error of a message, with array indices in the path", () => {
    const catalog = {
      type: "CATALOG",
      catalog: { streams: [{ name: "a", json_schema: {}, supported_sync_modes: [] }, { name: 2 }] },
    };
    expect(validate(catalog)).toEqual(
      expect.arrayContaining([
        "message.catalog.streams[0].supported_sync_modes: must NOT have fewer than 1 items",
        "message.catalog.streams[1]: must have required property 'json_schema'",
        "message.catalog.streams[1].name: must be string",
      ]),
    );
  });

  it("rejects what is not a message at all", () => {
    expect(validate("hello")).toEqual(["message: must be object"]);
    expect(validate({ record: {} })).toContain("message: must have required property 'type'");
    expect(validate({ type: "HEARTBEAT" })[0]).toMatch(/^message\.type: must be one of "RECORD"/);
  });

  it("requires the payload of the message's type, which the schema alone does not", () => {
    expect(validate({ type: "RECORD" })).toEqual(["message.record: required for a RECORD message"]);
    expect(validate({ type: "CONNECTION_STATUS", connectionStatus: null })).toContain(
      "message.connectionStatus: required for a CONNECTION_STATUS message",
    );
    expect(validate({ type: "DESTINATION_CATALOG", catalog: { streams: [] } })).toContain(
      "message.destination_catalog: required for a DESTINATION_CATALOG message",
    );
  });

  it("checks formats the schema declares, such as the spec's documentation URI", () => {
    const spec = { type: "SPEC", spec: { documentationUrl: "not a uri", connectionSpecification: {} } };
    expect(validate(spec)).toEqual(['message.spec.documentationUrl: must match format "uri"']);
  });

  it("accepts unknown fields, as every struct of the protocol allows them", () => {
    const log = { type: "LOG", log: { level: "INFO", message: "hi", thread: "main" }, id: 7 };
    expect(validate(log)).toEqual([]);
  });

  it("validates configured catalogs, which require both sync modes despite their defaults", () => {
    expect(validate.validateConfiguredCatalog(sampleConfiguredCatalog)).toEqual([]);
    const stream = { name: "users", json_schema: {}, supported_sync_modes: ["full_refresh"] };
    expect(validate.validateConfiguredCatalog({ streams: [{ stream }] })).toEqual([
      "catalog.streams[0]: must have required property 'sync_mode'",
      "catalog.streams[0]: must have required property 'destination_sync_mode'",
    ]);
    expect(
      validate.validateConfiguredCatalog({
        streams: [{ stream, sync_mode: "full_refresh", destination_sync_mode: "overwrite_dedup" }],
      }),
    ).toEqual([
      'catalog.streams[0].destination_sync_mode: must be one of "append", "overwrite", "append_dedup", "update", "soft_delete"',
    ]);
    expect(validate.validateConfiguredCatalog([])).toEqual(["catalog: must be object"]);
  });

  it("gives independent validators that agree", () => {
    const other = createProtocolValidator();
    expect(other({ type: "RECORD" })).toEqual(validate({ type: "RECORD" }));
  });
});

describe("the vendored schema", () => {
  const schemaPath = resolve(packageDir, "src/airbyte-protocol.schema.json");

  it("carries the upstream MIT licence and release", () => {
    const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as { $comment: string };
    expect(schema.$comment).toContain("Airbyte Protocol 0.18.0");
    expect(schema.$comment).toContain("MIT License");
    expect(schema.$comment).toContain("Copyright (c) 2020 Airbyte, Inc.");
    const note = readFileSync(resolve(packageDir, "src/airbyte-protocol.schema.LICENSE"), "utf8");
    expect(note).toContain("Permission is hereby granted, free of charge");
  });

  it.skipIf(!haveShared)(
    `matches shared/airbyte-protocol/airbyte_protocol.yaml (skipped when ${sharedDir} is absent)`,
    () => {
      const script = resolve(packageDir, "scripts/vendor-schema.mjs");
      // Throws, failing the test, when the script exits 1 because the JSON is out of date.
      const out = execFileSync(process.execPath, [script, "--check", sharedDir], { encoding: "utf8" });
      expect(out).toContain("matches");
    },
  );
});
