import { readFileSync } from "node:fs";
import type { ConnectorSpecification } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { validateConfig } from "./config-validation.js";
import { createSecretMasker, isSecretField, redactSecrets, SECRET_MASK } from "./secret-fields.js";

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`./test-fixtures/airbyte/${path}`, import.meta.url), "utf8"));

const fakerSpec = fixture("spec.json") as ConnectorSpecification;

const dbSpec: ConnectorSpecification = {
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    required: ["host", "credentials"],
    properties: {
      host: { type: "string" },
      port: { type: "integer", default: 5432, minimum: 1, maximum: 65535 },
      hosts: { type: "array", items: { type: "object", properties: { port: { type: "integer" } } } },
      ssl_mode: { type: "string", enum: ["disable", "require"] },
      credentials: {
        type: "object",
        oneOf: [
          {
            title: "Password",
            required: ["method", "password"],
            properties: {
              method: { type: "string", const: "password" },
              password: { type: "string", airbyte_secret: true, minLength: 12 },
            },
          },
          {
            title: "Key",
            required: ["method", "private_key"],
            properties: {
              method: { type: "string", const: "key" },
              private_key: { type: "string", airbyte_secret: true },
            },
          },
        ],
      },
    },
  },
};

describe("validateConfig", () => {
  it("accepts Airbyte's sample config of source-faker and fills in the spec's defaults", () => {
    const result = validateConfig(fakerSpec, fixture("sample_config.json"));
    expect(result).toEqual({
      ok: true,
      config: {
        count: 10,
        seed: 0,
        parallelism: 1,
        always_updated: false,
        records_per_slice: 1000,
        wide_data_set_columns: 10,
        wide_data_set_tables: 1,
        generate_errors_in_wide_columns: 0,
      },
    });
  });

  it("names the field and the value of Airbyte's invalid source-faker config", () => {
    const result = validateConfig(fakerSpec, fixture("invalid_config.json"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe('count: must be integer, got "foo"');
    expect(result.issues).toEqual([{ path: "count", message: 'must be integer, got "foo"' }]);
  });

  it("does not change the config it was given", () => {
    const config = { count: 5 };
    validateConfig(fakerSpec, config);
    expect(config).toEqual({ count: 5 });
  });

  it("ignores top-level keys starting with _ but keeps them in the config", () => {
    const spec: ConnectorSpecification = {
      connectionSpecification: {
        type: "object",
        additionalProperties: false,
        properties: { a: { type: "integer" } },
      },
    };
    expect(validateConfig(spec, { a: 1, _comment: "x" })).toEqual({
      ok: true,
      config: { a: 1, _comment: "x" },
    });
    const bad = validateConfig(spec, { a: 1, b: 2 });
    expect(bad.ok === false && bad.message).toBe("b: is not allowed");
  });

  it("reports missing fields, nested paths, enums and a non-object config", () => {
    const missing = validateConfig(dbSpec, { credentials: { method: "key", private_key: "k" } });
    expect(missing.ok === false && missing.message).toBe("host: is required");
    const nested = validateConfig(dbSpec, {
      host: "db",
      hosts: [{ port: 1 }, { port: "x" }],
      ssl_mode: "maybe",
      credentials: { method: "key", private_key: "k" },
    });
    expect(nested.ok === false && nested.issues).toEqual([
      { path: "hosts[1].port", message: 'must be integer, got "x"' },
      { path: "ssl_mode", message: 'must be one of "disable", "require", got "maybe"' },
    ]);
    const notObject = validateConfig(dbSpec, ["a"]);
    expect(notObject.ok === false && notObject.message).toBe("config: must be object, got an array");
  });

  it("reports only the errors of the oneOf variant the user chose", () => {
    const result = validateConfig(dbSpec, { host: "db", credentials: { method: "password" } });
    expect(result.ok === false && result.message).toBe("credentials.password: is required");
  });

  it("never prints the value of a secret field, even inside oneOf", () => {
    const secret = "hunter2";
    const result = validateConfig(dbSpec, {
      host: "db",
      credentials: { method: "password", password: secret },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe("credentials.password: must NOT have fewer than 12 characters");
    expect(JSON.stringify(result)).not.toContain(secret);
    const typed = validateConfig(dbSpec, { host: "db", credentials: { method: "key", private_key: 123456 } });
    expect(typed.ok === false && typed.message).toBe("credentials.private_key: must be string");
  });

  it("validates 2020-12 schemas and tolerates draft-04 ones", () => {
    const modern: ConnectorSpecification = {
      connectionSpecification: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        properties: { tags: { type: "array", prefixItems: [{ type: "string" }] } },
      },
    };
    expect(validateConfig(modern, { tags: [1] }).ok).toBe(false);
    expect(validateConfig(modern, { tags: ["a", 1] }).ok).toBe(true);
    const old: ConnectorSpecification = {
      connectionSpecification: {
        $schema: "http://json-schema.org/draft-04/schema#",
        type: "object",
        properties: { n: { type: "integer" } },
      },
    };
    expect(validateConfig(old, { n: "1" }).ok).toBe(false);
    expect(validateConfig(old, { n: 1 }).ok).toBe(true);
  });

  it("checks formats", () => {
    const spec: ConnectorSpecification = {
      connectionSpecification: {
        type: "object",
        properties: { start: { type: "string", format: "date-time" } },
      },
    };
    expect(validateConfig(spec, { start: "2024-01-01T00:00:00Z" }).ok).toBe(true);
    const bad = validateConfig(spec, { start: "yesterday" });
    expect(bad.ok === false && bad.message).toBe('start: must match format "date-time", got "yesterday"');
  });

  it("throws for a spec that is not JSON Schema: that is a bug of the connector", () => {
    const spec: ConnectorSpecification = { connectionSpecification: { type: "no-such-type" } };
    expect(() => validateConfig(spec, {})).toThrow(/not a valid JSON Schema/);
  });
});

describe("secret fields", () => {
  it("finds secrets through properties, oneOf and arrays", () => {
    expect(isSecretField(dbSpec, ["credentials", "password"])).toBe(true);
    expect(isSecretField(dbSpec, ["credentials", "private_key"])).toBe(true);
    expect(isSecretField(dbSpec, ["credentials", "method"])).toBe(false);
    expect(isSecretField(dbSpec, ["host"])).toBe(false);
    const spec: ConnectorSpecification = {
      connectionSpecification: {
        type: "object",
        properties: {
          keys: { type: "array", items: { type: "string", airbyte_secret: true } },
          vault: { type: "object", airbyte_secret: true },
        },
      },
    };
    expect(isSecretField(spec, ["keys", "3"])).toBe(true);
    expect(isSecretField(spec, ["vault", "anything", "below"])).toBe(true);
  });

  it("redacts a config and masks its secrets in any text", () => {
    const config = { host: "db", credentials: { method: "password", password: "correct horse" } };
    expect(redactSecrets(dbSpec, config)).toEqual({
      host: "db",
      credentials: { method: "password", password: SECRET_MASK },
    });
    const mask = createSecretMasker(dbSpec, config);
    expect(mask('login failed: password "correct horse" rejected for db')).toBe(
      `login failed: password "${SECRET_MASK}" rejected for db`,
    );
  });
});
