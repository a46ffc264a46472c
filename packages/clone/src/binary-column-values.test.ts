import { describe, expect, it } from "vitest";
import { binaryMaskable, decodeBinaryValue, encodeBinaryValue } from "./binary-column-values.js";

const type = (baseType: string, category = "S") => ({ baseType, category });
const roundTrip = (baseType: string, value: unknown) => {
  const bytes = encodeBinaryValue(type(baseType), value);
  if (bytes === undefined) throw new Error(`${baseType}: ${String(value)} not encoded`);
  return decodeBinaryValue(type(baseType), bytes, 0, bytes.length);
};

describe("binary column values", () => {
  it("reads dates and timestamps as Postgres prints them in UTC", () => {
    const zero = Buffer.alloc(8);
    expect(decodeBinaryValue(type("timestamptz"), zero, 0, 8)).toBe("2000-01-01 00:00:00+00");
    expect(decodeBinaryValue(type("timestamp"), zero, 0, 8)).toBe("2000-01-01 00:00:00");
    const micros = Buffer.alloc(8);
    micros.writeBigInt64BE(-1_500_000n);
    expect(decodeBinaryValue(type("timestamp"), micros, 0, 8)).toBe("1999-12-31 23:59:58.5");
    const days = Buffer.alloc(4);
    days.writeInt32BE(60);
    expect(decodeBinaryValue(type("date"), days, 0, 4)).toBe("2000-03-01");
  });

  it("writes back what it read, and what mappers make of it", () => {
    expect(roundTrip("timestamptz", "2024-02-29 13:45:12.123456+00")).toBe("2024-02-29 13:45:12.123456+00");
    expect(roundTrip("timestamptz", "2024-02-29T15:45:12+02:00")).toBe("2024-02-29 13:45:12+00");
    expect(roundTrip("timestamp", "0099-01-01 00:00:00")).toBe("0099-01-01 00:00:00");
    expect(roundTrip("date", "1999-12-31")).toBe("1999-12-31");
    expect(roundTrip("int8", "9007199254740993")).toBe("9007199254740993");
    expect(roundTrip("int4", 42)).toBe(42);
    expect(roundTrip("float8", 0.1)).toBe(0.1);
    expect(roundTrip("bool", false)).toBe(false);
    expect(roundTrip("uuid", "123e4567-e89b-12d3-a456-426614174000")).toBe(
      "123e4567-e89b-12d3-a456-426614174000",
    );
    expect(roundTrip("jsonb", { a: ["é", 1] })).toEqual({ a: ["é", 1] });
    expect(roundTrip("text", "tab\there 🦄")).toBe("tab\there 🦄");
  });

  it("refuses output the type cannot hold", () => {
    expect(encodeBinaryValue(type("int2"), 70_000)).toBeUndefined();
    expect(encodeBinaryValue(type("date"), "2023-02-29")).toBeUndefined();
    expect(encodeBinaryValue(type("uuid"), "not a uuid")).toBeUndefined();
    expect(binaryMaskable(type("numeric", "N"))).toBe(false);
    expect(binaryMaskable(type("mood", "E"))).toBe(true);
  });
});
