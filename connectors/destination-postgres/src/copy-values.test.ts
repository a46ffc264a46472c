import { describe, expect, it } from "vitest";
import { byteaField, copyText, encoderFor, NULLED_SERIALIZATION, NULLED_SIZE } from "./copy-values.js";

describe("copyText", () => {
  it("escapes what COPY's text format gives meaning to, and drops NUL", () => {
    expect(copyText("a\\b\nc\rd\te\0f")).toBe("a\\\\b\\nc\\rd\\te" + "f");
    expect(copyText("plain 😀 'quotes'")).toBe("plain 😀 'quotes'");
  });
});

describe("encoderFor", () => {
  it("integers: exact digits, range checked", () => {
    const int8 = encoderFor("int8", {});
    expect(int8(42)).toBe("42");
    expect(int8("9223372036854775807")).toBe("9223372036854775807");
    expect(int8("9223372036854775808")).toBe(NULLED_SIZE);
    expect(int8(1.5)).toBe(NULLED_SERIALIZATION);
    expect(int8("abc")).toBe(NULLED_SERIALIZATION);
    expect(encoderFor("int4", {})(2 ** 31)).toBe(NULLED_SIZE);
  });

  it("numeric: decimal text passes untouched, never through a double", () => {
    const numeric = encoderFor("numeric", {});
    expect(numeric("12345678901234567890.123456789")).toBe("12345678901234567890.123456789");
    expect(numeric("NaN")).toBe("NaN");
    expect(numeric("-Infinity")).toBe("-Infinity");
    expect(numeric(0.1)).toBe("0.1");
    expect(numeric("1e-30")).toBe("1e-30");
    expect(numeric("1,5")).toBe(NULLED_SERIALIZATION);
    expect(numeric(true)).toBe(NULLED_SERIALIZATION);
  });

  it("temporal values are checked before Postgres sees them", () => {
    const ts = encoderFor("timestamptz", {});
    expect(ts("2024-02-29T12:00:00.123456Z")).toBe("2024-02-29T12:00:00.123456Z");
    expect(ts("2024-02-29 12:00:00+05:30")).toBe("2024-02-29 12:00:00+05:30");
    expect(ts("2024-02-30T12:00:00")).toBe(NULLED_SERIALIZATION);
    expect(ts("2024-01-01T24:00:00Z")).toBe("2024-01-01T24:00:00Z");
    expect(ts("0044-03-15T12:00:00Z BC")).toBe("0044-03-15T12:00:00Z BC");
    expect(ts("2023-02-29T12:00:00Z")).toBe(NULLED_SERIALIZATION);
    expect(ts("yesterday")).toBe(NULLED_SERIALIZATION);
    expect(ts(1700000000)).toBe(NULLED_SERIALIZATION);
    expect(ts("300000-01-01T00:00:00Z")).toBe(NULLED_SIZE);
    expect(encoderFor("date", {})("2021-02-30")).toBe(NULLED_SERIALIZATION);
    expect(encoderFor("date", {})("infinity")).toBe("infinity");
    expect(encoderFor("timetz", {})("03:04:05+05:30")).toBe("03:04:05+05:30");
    expect(encoderFor("time", {})("25:00:00")).toBe(NULLED_SERIALIZATION);
  });

  it("jsonb: JSON text fields go in as JSON, other values are serialised", () => {
    const text = encoderFor("jsonb", { contentMediaType: "application/json" });
    expect(text('{"a": 1}')).toBe('{"a": 1}');
    expect(text("<xml/>")).toBe(NULLED_SERIALIZATION);
    const value = encoderFor("jsonb", {});
    expect(value("plain")).toBe('"plain"');
    expect(value({ a: "x\ny" })).toBe('{"a":"x\\\\ny"}');
    expect(value("\0")).toBe(NULLED_SERIALIZATION);
  });

  it("bytea: base64 becomes bytes, written as escaped hex; other text is refused", () => {
    const bytea = encoderFor("bytea", {});
    expect(bytea("AP8Q")).toEqual(Buffer.from([0, 255, 16]));
    expect(bytea("")).toEqual(Buffer.alloc(0));
    expect(bytea("not base64!")).toBe(NULLED_SERIALIZATION);
    expect(byteaField(Buffer.from([0, 255, 16]))).toBe("\\\\x00ff10");
  });

  it("booleans are JSON booleans; anything goes to text", () => {
    expect(encoderFor("bool", {})(true)).toBe("t");
    expect(encoderFor("bool", {})("true")).toBe(NULLED_SERIALIZATION);
    expect(encoderFor("text", {})({ a: 1 })).toBe('{"a":1}');
    expect(encoderFor("uuid", {})(12)).toBe("12");
  });
});
