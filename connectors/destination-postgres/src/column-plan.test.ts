import { describe, expect, it } from "vitest";
import { columnTypeFor, planColumns, truncateUtf8 } from "./column-plan.js";

describe("columnTypeFor", () => {
  it("maps the Airbyte types, exact numbers included", () => {
    expect(columnTypeFor({ type: ["null", "string"], airbyte_type: "big_number" })).toBe("numeric");
    expect(columnTypeFor({ type: "string", airbyte_type: "big_integer" })).toBe("numeric");
    expect(columnTypeFor({ type: "number" })).toBe("numeric");
    expect(columnTypeFor({ type: "integer" })).toBe("bigint");
    expect(columnTypeFor({ type: "number", airbyte_type: "integer" })).toBe("bigint");
    expect(columnTypeFor({ type: "string", format: "date-time" })).toBe("timestamptz");
    expect(
      columnTypeFor({ type: "string", format: "date-time", airbyte_type: "timestamp_without_timezone" }),
    ).toBe("timestamp");
    expect(columnTypeFor({ type: "string", format: "time", airbyte_type: "time_without_timezone" })).toBe(
      "time",
    );
    expect(columnTypeFor({ type: "string", format: "time" })).toBe("timetz");
    expect(columnTypeFor({ type: "string", format: "date" })).toBe("date");
    expect(columnTypeFor({ type: "string", contentEncoding: "base64" })).toBe("bytea");
    expect(columnTypeFor({ type: "string", contentMediaType: "application/json" })).toBe("jsonb");
    expect(columnTypeFor({ type: "boolean" })).toBe("boolean");
    expect(columnTypeFor({ type: "array", items: { type: "integer" } })).toBe("jsonb");
    expect(columnTypeFor({ type: ["string", "integer"] })).toBe("jsonb");
    expect(columnTypeFor({ oneOf: [{ type: "null" }, { type: "integer" }] })).toBe("bigint");
    expect(columnTypeFor({ $ref: "WellKnownTypes.json#/definitions/Number" })).toBe("numeric");
    expect(columnTypeFor({ type: "potato" })).toBe("jsonb");
  });
});

describe("planColumns", () => {
  it("keeps names as they are, suffixing clashes with meta columns and after the 63-byte cut", () => {
    const long = "é".repeat(40);
    const columns = planColumns({
      properties: { id: {}, ID: {}, _airbyte_raw_id: {}, "": {}, [`${long}a`]: {}, [`${long}b`]: {} },
    });
    expect(columns.map((c) => c.column)).toEqual([
      "id",
      "ID",
      "_airbyte_raw_id_2",
      "_",
      "é".repeat(31),
      `${"é".repeat(30)}_2`,
    ]);
    expect(columns.every((c) => Buffer.byteLength(c.column) <= 63)).toBe(true);
  });

  it("keeps a schemaless stream whole in _airbyte_data", () => {
    expect(planColumns({ type: "object" })).toEqual([
      { field: undefined, column: "_airbyte_data", type: "jsonb", schema: {} },
    ]);
  });

  it("cuts names on character boundaries", () => {
    expect(truncateUtf8("ab😀", 5)).toBe("ab");
  });
});
