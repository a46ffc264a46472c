import { describe, expect, it } from "vitest";
import { afterPosition, atOrAfter, sqlLiteral, stateText } from "./sql-position.js";

const id = { name: "id", quoted: "`id`", literal: "number" } as const;
const name = { name: "name", quoted: "`name`", literal: "string" } as const;
const at = { name: "at", quoted: "`at`", literal: "string" } as const;

describe("positions in SQL", () => {
  it("orders tuples lexicographically with OR-ed ranges", () => {
    expect(afterPosition([id], ["7"])).toBe("`id` > 7");
    expect(afterPosition([at, id], ["2024-01-01 00:00:00", "7"])).toBe(
      "(`at` > '2024-01-01 00:00:00' OR (`at` = '2024-01-01 00:00:00' AND `id` > 7))",
    );
  });

  it("puts a NULL cursor first, as MySQL sorts it", () => {
    expect(afterPosition([at, id], [null, "7"])).toBe("(`at` IS NOT NULL OR (`at` IS NULL AND `id` > 7))");
    expect(atOrAfter(at, null)).toBeUndefined();
    expect(atOrAfter(at, "x")).toBe("`at` >= 'x'");
  });

  it("writes numbers bare, text escaped and bytes as hex", () => {
    expect(sqlLiteral("18446744073709551615", "number")).toBe("18446744073709551615");
    expect(() => sqlLiteral("1; DROP TABLE t", "number")).toThrow(/number/);
    expect(sqlLiteral("it's \\ fine", "string")).toBe("'it\\'s \\\\ fine'");
    expect(sqlLiteral(Buffer.from([0, 255]).toString("base64"), "binary")).toBe("X'00ff'");
    expect(afterPosition([name], ["O'Brien"])).toBe("`name` > 'O\\'Brien'");
  });

  it("keeps database values as exact text", () => {
    expect(stateText(12)).toBe("12");
    expect(stateText("9007199254740993")).toBe("9007199254740993");
    expect(stateText(Buffer.from("ab"))).toBe("YWI=");
    expect(stateText(null)).toBeNull();
  });
});
