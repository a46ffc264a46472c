import { describe, expect, it } from "vitest";
import { columnTypeFor } from "./column-type.js";
import { planColumns } from "./stream-columns.js";

describe("columnTypeFor", () => {
  it.each([
    [{ type: "string" }, "VARCHAR"],
    [{ type: ["null", "string"] }, "VARCHAR"],
    [{ type: "string", format: "date" }, "DATE"],
    [{ type: "string", format: "date-time" }, "TIMESTAMPTZ"],
    [{ type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" }, "TIMESTAMPTZ"],
    [{ type: "string", format: "date-time", airbyte_type: "timestamp_without_timezone" }, "TIMESTAMP"],
    [{ type: "string", format: "time", airbyte_type: "time_without_timezone" }, "TIME"],
    [{ type: "string", format: "time", airbyte_type: "time_with_timezone" }, "TIMETZ"],
    [{ type: "string", format: "time" }, "TIMETZ"],
    [{ type: "integer" }, "BIGINT"],
    [{ type: ["integer", "null"] }, "BIGINT"],
    [{ type: "number", airbyte_type: "integer" }, "BIGINT"],
    [{ type: "number" }, "DOUBLE"],
    [{ type: "boolean" }, "BOOLEAN"],
    [{ type: "object", properties: { a: { type: "string" } } }, "JSON"],
    [{ type: "array", items: { type: "integer" } }, "JSON"],
    [{ type: ["string", "integer"] }, "JSON"],
    [{ oneOf: [{ type: "string" }, { type: "integer" }] }, "JSON"],
    [{ oneOf: [{ type: "null" }, { type: "integer" }] }, "BIGINT"],
    [{ anyOf: [{ type: "string" }, { type: "string", format: "email" }] }, "VARCHAR"],
    [{ type: "potato" }, "JSON"],
    [{}, "JSON"],
    ["garbage", "JSON"],
    [{ $ref: "WellKnownTypes.json#/definitions/Integer" }, "BIGINT"],
    [{ $ref: "WellKnownTypes.json#/definitions/Number" }, "DOUBLE"],
    [{ $ref: "WellKnownTypes.json#/definitions/TimestampWithoutTimezone" }, "TIMESTAMP"],
    [{ $ref: "WellKnownTypes.json#/definitions/TimestampWithTimezone" }, "TIMESTAMPTZ"],
    [{ $ref: "WellKnownTypes.json#/definitions/TimeWithTimezone" }, "TIMETZ"],
    [{ $ref: "WellKnownTypes.json#/definitions/Date" }, "DATE"],
    [{ $ref: "WellKnownTypes.json#/definitions/BinaryData" }, "VARCHAR"],
    [{ $ref: "WellKnownTypes.json#/definitions/Boolean" }, "BOOLEAN"],
    [{ $ref: "#/definitions/Unknown" }, "JSON"],
  ])("maps %j to %s", (schema, expected) => {
    expect(columnTypeFor(schema)).toBe(expected);
  });
});

describe("planColumns", () => {
  it("renames case-insensitive clashes, meta names and the empty name", () => {
    const planned = planColumns({
      properties: { id: { type: "integer" }, ID: { type: "string" }, _airbyte_raw_id: {}, "": {}, id_2: {} },
    });
    expect(planned.map((p) => [p.field, p.column])).toEqual([
      ["id", "id"],
      ["ID", "ID_2"],
      ["_airbyte_raw_id", "_airbyte_raw_id_2"],
      ["", "_"],
      ["id_2", "id_2_2"],
    ]);
  });

  it("keeps a schemaless stream's whole record in _airbyte_data", () => {
    expect(planColumns({ type: "object" })).toEqual([
      { field: undefined, column: "_airbyte_data", type: "JSON" },
    ]);
  });
});
