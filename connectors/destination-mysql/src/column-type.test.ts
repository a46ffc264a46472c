import { describe, expect, it } from "vitest";
import { columnTypeFor, existingColumnType } from "./column-type.js";

const sql = (schema: unknown) => columnTypeFor(schema).sql;

describe("columnTypeFor", () => {
  it("maps Airbyte's types, with the annotations source-mysql adds", () => {
    expect(sql({ type: ["null", "integer"] })).toBe("BIGINT");
    expect(sql({ type: "integer", minimum: 0, maximum: 2 ** 64 - 1 })).toBe("BIGINT UNSIGNED");
    expect(sql({ type: "integer", minimum: -1, maximum: 2 ** 70 })).toBe("DECIMAL(65,0)");
    expect(sql({ type: "number" })).toBe("DOUBLE");
    expect(sql({ type: "number", precision: 65, scale: 30 })).toBe("DECIMAL(65,30)");
    expect(sql({ type: "number", precision: 80, scale: 2 })).toBe("DOUBLE");
    expect(sql({ type: "number", airbyte_type: "integer" })).toBe("BIGINT");
    expect(sql({ type: ["null", "string"], airbyte_type: "big_number", precision: 65, scale: 30 })).toBe(
      "DECIMAL(65,30)",
    );
    expect(sql({ type: ["null", "string"], airbyte_type: "big_number", precision: 12, scale: 2 })).toBe(
      "DECIMAL(12,2)",
    );
    expect(sql({ type: ["null", "string"], airbyte_type: "big_number" })).toBe("DECIMAL(65,30)");
    expect(sql({ type: "string", airbyte_type: "big_integer", minimum: 0, maximum: 2 ** 64 - 1 })).toBe(
      "BIGINT UNSIGNED",
    );
    expect(sql({ type: "string", airbyte_type: "big_integer" })).toBe("DECIMAL(65,0)");
    expect(sql({ type: "boolean" })).toBe("BOOLEAN");
    expect(sql({ type: "string" })).toBe("LONGTEXT");
    expect(sql({ type: "string", maxLength: 20 })).toBe("VARCHAR(20)");
    expect(sql({ type: "string", maxLength: 5000 })).toBe("LONGTEXT");
    expect(sql({ type: "string", format: "date" })).toBe("DATE");
    expect(sql({ type: "string", format: "date-time" })).toBe("DATETIME(6)");
    expect(sql({ type: "string", format: "time", airbyte_type: "time_without_timezone" })).toBe("TIME(6)");
    expect(sql({ type: "string", contentEncoding: "base64" })).toBe("LONGBLOB");
    expect(sql({ type: "string", contentMediaType: "application/json" })).toBe("JSON");
    expect(sql({ type: "object" })).toBe("JSON");
    expect(sql({ type: ["string", "integer"] })).toBe("JSON");
    expect(sql({ oneOf: [{ type: "null" }, { type: "integer" }] })).toBe("BIGINT");
    expect(sql({ $ref: "WellKnownTypes.json#/definitions/TimestampWithoutTimezone" })).toBe("DATETIME(6)");
    expect(sql({ type: "potato" })).toBe("JSON");
  });

  it("keeps an existing column's type and checks values against it", () => {
    const planned = columnTypeFor({ type: "integer" });
    expect(existingColumnType("bigint", "bigint(20)", false, planned)).not.toBe(planned);
    expect(existingColumnType("int", "int(10) unsigned", false, planned).encoder(-1)).toBe(2);
    expect(
      existingColumnType("varchar", "varchar(3)", false, columnTypeFor({ type: "string" })).encoder("abcd"),
    ).toBe(2);
    const json = columnTypeFor({ type: "object" });
    expect(existingColumnType("longtext", "longtext", true, json)).toBe(json);
  });
});
