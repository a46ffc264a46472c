import { describe, expect, it } from "vitest";
import { recordMessage } from "./message-builders.js";
import { compileRecordSchema, createRecordSchemaChecker } from "./record-schema-check.js";
import type { ConfiguredAirbyteCatalog } from "./schemas.js";

const users = {
  type: "object",
  properties: {
    age: { type: "integer" },
    name: { type: "string" },
    address: { type: "object", properties: { city: { type: "string" } } },
  },
};

describe("compileRecordSchema", () => {
  it("names the path and the rule, never the value; every problem, or only the first", () => {
    const check = compileRecordSchema(users);
    expect(check({ age: 3, name: "Ann" })).toEqual([]);
    const problems = check({ age: "secret-value-7", name: 12 });
    expect(problems).toEqual(["/age must be integer", "/name must be string"]);
    expect(problems.join()).not.toContain("secret");
    expect(compileRecordSchema(users, { firstProblemOnly: true })({ age: "x", name: 12 })).toEqual([
      "/age must be integer",
    ]);
  });

  it("names undeclared fields, nested ones too, only when asked", () => {
    const data = { age: 1, extra: true, address: { city: "Oslo", zip: "0150" } };
    expect(compileRecordSchema(users)(data)).toEqual([]);
    expect(compileRecordSchema(users, { undeclaredFields: true })(data)).toEqual([
      "field extra is not in the schema",
      "field address.zip is not in the schema",
    ]);
  });

  it("reads dates and timestamps as Airbyte writes them", () => {
    const check = compileRecordSchema({
      type: "object",
      properties: {
        d: { type: "string", format: "date" },
        t: { type: "string", format: "date-time", airbyte_type: "timestamp_without_timezone" },
        z: { type: "string", format: "time" },
        e: { type: "string", format: "email" },
      },
    });
    expect(check({ d: "2021-01-23 BC", t: "2022-11-22T01:23:45", z: "01:23:45.123+05:00" })).toEqual([]);
    expect(check({ t: "2022-11-22 01:23:45.123456+05:00" })).toEqual([]);
    expect(check({ t: "2022-11-22T01:23:45.123456 BC" })).toEqual([]);
    expect(check({ d: "23/01/2021", t: "yesterday" })).toEqual([
      '/d must match format "date"',
      '/t must match format "date-time"',
    ]);
    expect(check({ e: "not an address" })).toEqual(['/e must match format "email"']);
  });

  it("reads Airbyte's legacy WellKnownTypes references and newer or older drafts", () => {
    const legacy = compileRecordSchema({
      type: "object",
      properties: {
        n: { $ref: "WellKnownTypes.json#/definitions/Integer" },
        at: { $ref: "WellKnownTypes.json#/definitions/TimestampWithTimezone" },
      },
    });
    expect(legacy({ n: 1, at: "2022-11-22T01:23:45Z" })).toEqual([]);
    expect(legacy({ n: "1", at: "noon" })).toEqual([
      "/n must be integer",
      '/at must match format "date-time"',
    ]);
    const draft2020 = compileRecordSchema({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { n: { type: "number" } },
    });
    expect(draft2020({ n: "x" })).toEqual(["/n must be number"]);
    expect(
      compileRecordSchema({ $schema: "http://json-schema.org/draft-04/schema#", type: "object" })({}),
    ).toEqual([]);
  });

  it("throws when the schema is not valid JSON Schema", () => {
    expect(() => compileRecordSchema({ type: 12 })).toThrow();
  });
});

describe("createRecordSchemaChecker", () => {
  const catalog: ConfiguredAirbyteCatalog = {
    streams: [
      { name: "users", namespace: "crm", json_schema: users },
      { name: "broken", json_schema: { type: "objekt" } },
    ].map((stream) => ({
      stream: { ...stream, supported_sync_modes: ["full_refresh" as const] },
      sync_mode: "full_refresh" as const,
      destination_sync_mode: "append" as const,
    })),
  };

  it("labels problems with the stream, extra fields included", () => {
    const check = createRecordSchemaChecker(catalog);
    expect(check(recordMessage("users", { age: 1 }, { namespace: "crm" }).record)).toEqual([]);
    expect(check(recordMessage("users", { age: "1", extra: 1 }, { namespace: "crm" }).record)).toEqual([
      "crm.users: /age must be integer",
      "crm.users: field extra is not in the schema",
    ]);
  });

  it("says when a stream's schema does not compile, and gives undefined for unconfigured streams", () => {
    const check = createRecordSchemaChecker(catalog);
    expect(check(recordMessage("broken", {}).record)).toEqual(["broken: its json_schema does not compile"]);
    expect(check(recordMessage("users", { age: 1 }).record)).toBeUndefined();
  });
});
