import { describe, expect, it } from "vitest";
import { parseArrayLiteral } from "./array-literal.js";

const text = (s: string) => s;

describe("parseArrayLiteral", () => {
  it("parses flat, empty, nested and bounded arrays", () => {
    expect(parseArrayLiteral("{1,NULL,3}", ",", Number)).toEqual([1, null, 3]);
    expect(parseArrayLiteral("{}", ",", Number)).toEqual([]);
    expect(parseArrayLiteral("{{1,2},{3,4}}", ",", Number)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseArrayLiteral("[0:1]={7,8}", ",", Number)).toEqual([7, 8]);
  });

  it("unquotes quoted elements and keeps a quoted NULL as text", () => {
    expect(parseArrayLiteral('{"a b","c\\"d","e\\\\f",NULL,"NULL",""}', ",", text)).toEqual([
      "a b",
      'c"d',
      "e\\f",
      null,
      "NULL",
      "",
    ]);
  });

  it("uses the type's delimiter (box uses ;)", () => {
    expect(parseArrayLiteral("{(1,1),(0,0);(2,2),(1,1)}", ";", text)).toEqual(["(1,1),(0,0)", "(2,2),(1,1)"]);
  });

  it("throws on malformed input", () => {
    expect(() => parseArrayLiteral("{1,2", ",", Number)).toThrow(/array literal/);
    expect(() => parseArrayLiteral('{"a', ",", text)).toThrow(/unterminated/);
  });
});
