import { describe, expect, it } from "vitest";
import { createRecordValidator } from "./record-validator.js";
import { compiled, KEY, mapSync, userRecord } from "./test-fixtures/users-stream.js";

describe("createRecordValidator", () => {
  it("names the path and the rule, never the value", () => {
    const validate = createRecordValidator({ type: "object", properties: { age: { type: "integer" } } });
    expect(validate({ age: 3 })).toBeUndefined();
    const problem = validate({ age: "secret-value-7" });
    expect(problem).toBe("/age must be integer");
    expect(problem).not.toContain("secret");
  });

  it("reads data as Airbyte writes it (formats, WellKnownTypes; more in @weir/protocol's tests)", () => {
    const validate = createRecordValidator({
      type: "object",
      properties: {
        t: { type: "string", format: "date-time" },
        n: { $ref: "WellKnownTypes.json#/definitions/Integer" },
      },
    });
    expect(validate({ t: "2022-11-22 01:23:45.123456+05:00", n: 1 })).toBeUndefined();
    expect(validate({ t: "yesterday", n: "1" })).toBe('/t must match format "date-time"');
  });
});

describe("validation modes", () => {
  const bad = () => userRecord({ age: "forty" });

  it("off: nothing is checked", () => {
    const batch = mapSync(compiled([]), [bad()]);
    expect([batch.records.length, batch.invalid]).toEqual([1, 0]);
  });

  it("warn: invalid records pass on, are counted, and the first few are described", () => {
    const mappers = compiled([], { validation: "warn" });
    const batch = mapSync(mappers, [bad(), userRecord(), bad()]);
    expect([batch.records.length, batch.invalid]).toEqual([3, 2]);
    expect(batch.warnings).toEqual([
      "stream users: a record does not match the stream's schema (passed on): /age must be integer",
      "stream users: a record does not match the stream's schema (passed on): /age must be integer",
    ]);
    // Examples stop after five per stream, counting goes on.
    const more = mapSync(mappers, Array.from({ length: 10 }, bad));
    expect([more.invalid, more.warnings.length]).toEqual([10, 3]);
    expect(mapSync(mappers, [bad()]).warnings).toEqual([]);
  });

  it("skip: invalid records are dropped and counted", () => {
    const batch = mapSync(compiled([], { validation: "skip" }), [bad(), userRecord({ id: 2 })]);
    expect(batch.records.map((r) => r.data.id)).toEqual([2]);
    expect(batch.invalid).toBe(1);
    expect(batch.warnings[0]).toContain("(skipped)");
  });

  it("fail: the batch fails with a config error", () => {
    const result = compiled([], { validation: "fail" }).mapBatch([userRecord(), bad()]);
    expect(result).toEqual({
      ok: false,
      failure: {
        type: "config_error",
        message:
          "stream users: a record does not match the stream's schema (validation: fail): /age must be integer",
      },
    });
  });

  it("checks records against the schema as the mappers rewrote it", () => {
    const mappers = compiled(
      [
        { type: "hash", field: "age", key: KEY },
        { type: "set", field: "flag", value: true },
      ],
      { validation: "fail" },
    );
    const result = mapSync(mappers, [userRecord({ age: "forty" })]);
    expect(result.records).toHaveLength(1);
  });
});
