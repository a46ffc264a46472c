import { describe, expect, it } from "vitest";
import { formatTimestamp, parseTimestamp } from "./timestamps.js";

const viaDate = (ms: number): string => {
  const iso = new Date(ms).toISOString().slice(0, -1);
  return ms % 1000 === 0 ? `${iso.slice(0, -4)}+00:00` : `${iso}+00:00`;
};

describe("formatTimestamp", () => {
  it("writes Airbyte's RFC 3339 style, with milliseconds only when there are some", () => {
    expect(formatTimestamp(Date.UTC(2009, 7, 12, 18, 57, 58))).toBe("2009-08-12T18:57:58+00:00");
    expect(formatTimestamp(Date.UTC(2025, 0, 1, 10, 0, 0, 7))).toBe("2025-01-01T10:00:00.007+00:00");
    expect(formatTimestamp(Date.UTC(2000, 1, 29))).toBe("2000-02-29T00:00:00+00:00");
    expect(formatTimestamp(-1)).toBe("1969-12-31T23:59:59.999+00:00");
  });

  it("agrees with Date#toISOString over random instants and leap days", () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const from = Date.UTC(1000, 0, 1);
    const span = Date.UTC(9999, 11, 31) - from;
    for (let i = 0; i < 20_000; i++) {
      const ms = from + Math.floor(next() * span);
      expect(formatTimestamp(ms)).toBe(viaDate(ms));
    }
    for (const year of [1600, 1900, 2000, 2024, 2100]) {
      const ms = Date.UTC(year, 2, 1) - 1;
      expect(formatTimestamp(ms)).toBe(viaDate(ms));
    }
  });

  it("falls back to Date outside four-digit years", () => {
    expect(formatTimestamp(Date.UTC(10_000, 0, 1))).toBe("+010000-01-01T00:00:00+00:00");
  });
});

describe("parseTimestamp", () => {
  it("reads RFC 3339 and refuses anything else", () => {
    expect(parseTimestamp("2020-01-01T00:00:00+00:00")).toBe(Date.UTC(2020, 0, 1));
    expect(parseTimestamp("2020-01-01T01:00:00.5+01:00")).toBe(Date.UTC(2020, 0, 1, 0, 0, 0, 500));
    expect(parseTimestamp("2020-01-01 00:00:00")).toBeUndefined();
    expect(parseTimestamp("2020-01-01")).toBeUndefined();
    expect(parseTimestamp(1577836800000)).toBeUndefined();
  });
});
