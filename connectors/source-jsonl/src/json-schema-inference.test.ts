import { describe, expect, it } from "vitest";
import { inferJsonSchema } from "./json-schema-inference.js";

describe("inferJsonSchema", () => {
  it("types each property by the values seen", () => {
    const schema = inferJsonSchema([
      {
        id: 1,
        price: 2,
        name: "a",
        at: "2020-01-01T00:00:00+00:00",
        tags: [],
        meta: {},
        flag: true,
        gone: null,
      },
      { id: 2, price: 2.5, name: null, at: "2021-01-01T00:00:00Z", extra: "x", gone: null },
    ]);
    expect(schema).toEqual({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      additionalProperties: true,
      properties: {
        id: { type: "integer" },
        price: { type: "number" },
        name: { type: ["null", "string"] },
        at: { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
        tags: { type: "array" },
        meta: { type: "object" },
        flag: { type: "boolean" },
        gone: {},
        extra: { type: "string" },
      },
    });
  });

  it("does not call a string a timestamp unless every sample is one", () => {
    const schema = inferJsonSchema([{ at: "2020-01-01T00:00:00Z" }, { at: "yesterday" }]);
    expect((schema.properties as Record<string, unknown>).at).toEqual({ type: "string" });
  });

  it("gives an empty object schema for no samples", () => {
    expect(inferJsonSchema([]).properties).toEqual({});
  });
});
