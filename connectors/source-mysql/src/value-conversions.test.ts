import { describe, expect, it } from "vitest";
import { isTimeOfDay, isZeroDate, localDateTime, utcDateTime } from "./value-conversions.js";

describe("temporal values", () => {
  it("recognises zero dates and zero months or days", () => {
    expect(isZeroDate("0000-00-00")).toBe(true);
    expect(isZeroDate("0000-00-00 00:00:00.000000")).toBe(true);
    expect(isZeroDate("2024-00-10")).toBe(true);
    expect(isZeroDate("2024-03-00 10:00:00")).toBe(true);
    expect(isZeroDate("0000-01-01")).toBe(false);
    expect(isZeroDate("2024-02-29 23:59:59")).toBe(false);
  });

  it("writes DATETIME without an offset and TIMESTAMP in UTC", () => {
    expect(localDateTime("2024-01-02 03:04:05.123456")).toBe("2024-01-02T03:04:05.123456");
    expect(utcDateTime("2024-01-02 03:04:05")).toBe("2024-01-02T03:04:05Z");
  });

  it("accepts TIME values of one day only", () => {
    expect(isTimeOfDay("00:00:00")).toBe(true);
    expect(isTimeOfDay("23:59:59.999999")).toBe(true);
    expect(isTimeOfDay("24:00:00")).toBe(false);
    expect(isTimeOfDay("-01:00:00")).toBe(false);
    expect(isTimeOfDay("838:59:59")).toBe(false);
  });
});
