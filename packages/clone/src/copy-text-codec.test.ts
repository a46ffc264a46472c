import { describe, expect, it } from "vitest";
import { decodeCopyField, escapeCopyText, isNullField } from "./copy-text-codec.js";

const decode = (text: string) => {
  const buf = Buffer.from(text);
  return decodeCopyField(buf, 0, buf.length);
};

describe("COPY text codec", () => {
  it("round-trips odd text: quotes, backslashes, newlines, tabs, emoji, empty", () => {
    for (const text of [
      "",
      "plain",
      `it's "quoted"`,
      "back\\slash",
      "line\nbreak\r\n",
      "tab\there",
      "🦄 émoji",
      "\\N",
      "\b\f\v",
    ]) {
      expect(decode(escapeCopyText(text))).toBe(text);
    }
  });

  it("escapes only what COPY requires", () => {
    expect(escapeCopyText("a\tb\nc\\d")).toBe("a\\tb\\nc\\\\d");
    expect(escapeCopyText("no escapes: 'quotes' \"here\"")).toBe("no escapes: 'quotes' \"here\"");
  });

  it("reads octal and hex escapes as bytes, so a UTF-8 character split into escapes comes back whole", () => {
    expect(decode("\\101\\x42")).toBe("AB");
    expect(decode("\\303\\251")).toBe("é");
    expect(decode("\\xzz")).toBe("xzz");
  });

  it("tells the NULL marker from the text \\N", () => {
    const buf = Buffer.from("\\N\t\\\\N");
    expect(isNullField(buf, 0, 2)).toBe(true);
    expect(isNullField(buf, 3, 6)).toBe(false);
    expect(decodeCopyField(buf, 3, 6)).toBe("\\N");
  });
});
