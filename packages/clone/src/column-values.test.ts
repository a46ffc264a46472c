import { describe, expect, it } from "vitest";
import { columnKind, decodeColumnValue, encodeColumnValue, outputMismatch } from "./column-values.js";

describe("column values for mappers", () => {
  it("reads numbers only when a double holds them exactly", () => {
    expect(decodeColumnValue("integer", "42")).toBe(42);
    expect(decodeColumnValue("integer", "9007199254740993")).toBe("9007199254740993");
    expect(decodeColumnValue("number", "12.5")).toBe(12.5);
    expect(decodeColumnValue("number", "1.10")).toBe("1.10");
    expect(decodeColumnValue("number", "12345678901234567890.123")).toBe("12345678901234567890.123");
    expect(decodeColumnValue("boolean", "t")).toBe(true);
    expect(decodeColumnValue("json", '{"a":{"b":1}}')).toEqual({ a: { b: 1 } });
  });

  it("writes mapper output as column text", () => {
    expect(encodeColumnValue("boolean", false)).toBe("f");
    expect(encodeColumnValue("text", null)).toBeNull();
    expect(encodeColumnValue("json", { a: "x" })).toBe('{"a":"x"}');
    expect(encodeColumnValue("json", "text")).toBe('"text"');
    expect(encodeColumnValue("number", Number.NaN)).toBe("NaN");
  });

  it("finds mapper output a column cannot hold", () => {
    expect(columnKind({ baseType: "int8", category: "N" })).toBe("integer");
    expect(outputMismatch("integer", { type: "string" })).toContain("integer column");
    expect(outputMismatch("integer", { type: ["null", "integer"] })).toBeUndefined();
    expect(outputMismatch("text", { type: "string" })).toBeUndefined();
  });
});
