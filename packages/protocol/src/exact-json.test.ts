import { describe, expect, it } from "vitest";
import { parseExactJson, rememberJsonText, stringifyExact } from "./exact-json.js";
import { parseLine, serializeMessage } from "./json-lines.js";

describe("stringifyExact", () => {
  it("writes a parsed value back as its text, big numbers, trailing zeros and blanks included", () => {
    const text = '[ {"cursor": 99999999999999999, "ratio": 1.10, "s": "\\u00e9\\"x"} ,\n {"n": -0.0e+1} ]';
    expect(stringifyExact(parseExactJson(text))).toBe(text);
  });

  it("keeps the text of the parts when a container around them changes", () => {
    const value = parseExactJson('[{"type":"LEGACY","data":{"cursor":99999999999999999}}]') as {
      type: string;
      data: unknown;
    }[];
    const first = value[0] as { type: string; data: unknown };
    const copy = [{ ...first, sourceStats: undefined }, { type: "STREAM" }];
    expect(stringifyExact(copy)).toBe(
      '[{"type":"LEGACY","data":{"cursor":99999999999999999}},{"type":"STREAM"}]',
    );
  });

  it("writes a changed value as it is now, not as its old text", () => {
    const value = parseExactJson('{"a": {"cursor": 1}, "b": {"big": 99999999999999999}}') as Record<
      string,
      Record<string, number>
    >;
    (value.a as Record<string, number>).cursor = 2;
    expect(stringifyExact(value)).toBe('{"a":{"cursor":2},"b":{"big": 99999999999999999}}');
  });

  it("indents what it writes itself, and follows toJSON and JSON.stringify's rules for undefined", () => {
    const inner = parseExactJson('{"x":1.50}');
    const out = stringifyExact(
      { a: [1, undefined], b: undefined, c: inner, d: { toJSON: () => "j" }, e: {} },
      2,
    );
    expect(out).toBe('{\n  "a": [\n    1,\n    null\n  ],\n  "c": {"x":1.50},\n  "d": "j",\n  "e": {}\n}');
    expect(JSON.parse(out)).toEqual({ a: [1, null], c: { x: 1.5 }, d: "j", e: {} });
  });

  it("pairs text and value by key, so a schema library's copy keeps the text", () => {
    const text = '{"b":{"n":10000000000000001},"a":[{"m":2.50}]}';
    // A copy with its keys in another order, as a schema library may return it.
    const parsed = JSON.parse(text) as { a: unknown; b: unknown };
    const copy = { a: parsed.a, b: parsed.b };
    rememberJsonText(copy, text);
    expect(stringifyExact(copy.b)).toBe('{"n":10000000000000001}');
    expect(stringifyExact(copy.a)).toBe('[{"m":2.50}]');
  });
});

describe("STATE messages read off a pipe", () => {
  it("are written on as the line they came in as", () => {
    const line =
      '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"u"},"stream_state":{"c":99999999999999999}},"data":{"u":1}},"id":7}';
    const parsed = parseLine(line);
    if (parsed.kind !== "message") throw new Error("expected a message");
    expect(serializeMessage(parsed.message)).toBe(line);
  });
});
