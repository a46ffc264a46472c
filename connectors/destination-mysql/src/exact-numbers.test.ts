import { describe, expect, it } from "vitest";
import { decimalParts, decimalText, numberText } from "./exact-numbers.js";

describe("exact numbers", () => {
  it("parses decimal text with or without an exponent, without floating point", () => {
    expect(decimalParts("-0012.3400")).toEqual({ negative: true, integer: "12", fraction: "34" });
    expect(decimalParts("1.50e2")).toEqual({ negative: false, integer: "150", fraction: "" });
    expect(decimalParts("1234.5e-6")).toEqual({ negative: false, integer: "", fraction: "0012345" });
    expect(decimalParts("-0.000")).toEqual({ negative: false, integer: "", fraction: "" });
    expect(decimalParts("12345678901234567890.123456789012345678901234567890")).toEqual({
      negative: false,
      integer: "12345678901234567890",
      fraction: "12345678901234567890123456789",
    });
    for (const bad of ["", ".", "1.2.3", "abc", "1e", "0x10", "Infinity"])
      expect(decimalParts(bad)).toBeUndefined();
  });

  it("writes plain decimal text", () => {
    expect(decimalText({ negative: false, integer: "", fraction: "5" })).toBe("0.5");
    expect(decimalText({ negative: true, integer: "12", fraction: "" })).toBe("-12");
    expect(numberText(1e21)).toBe("1000000000000000000000");
    expect(numberText(1.5e-7)).toBe("0.00000015");
    expect(numberText(-1e-30)).toBe("-0.000000000000000000000000000001");
    expect(numberText(0.1)).toBe("0.1");
  });
});
