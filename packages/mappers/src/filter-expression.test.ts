import { describe, expect, it } from "vitest";
import { formatFilterSyntaxError, parseFilterExpression } from "./filter-expression.js";
import { compiled, compileError, mapSync, userRecord } from "./test-fixtures/users-stream.js";

/** The formatted error of an expression that must not parse. */
function syntaxError(text: string): string {
  const parsed = parseFilterExpression(text);
  if (parsed.ok) throw new Error(`expected ${text} not to parse`);
  return formatFilterSyntaxError(text, parsed.error);
}

/** Which of these ages/nationalities a condition keeps. */
function kept(where: string, rows: Record<string, unknown>[]): number[] {
  const mappers = compiled([{ type: "filter", where }]);
  return mapSync(
    mappers,
    rows.map((row, i) => userRecord({ ...row, id: i })),
  ).records.map((record) => record.data.id as number);
}

describe("filter expressions", () => {
  it("parse comparisons, lists, null tests, and / or / not with precedence and parentheses", () => {
    for (const text of [
      "age >= 30",
      "age>=30 AND nationality!='Italian'",
      "not (a = 1 or b = 2) and c is not null",
      "x in (1, 2, 'three', null) or y not in ('a')",
      "address.city = \"Oslo\" and `odd name` <> 'it''s' and s = 'a\\'b'",
      "active",
      "n = -1.5e3",
    ]) {
      expect(parseFilterExpression(text).ok, text).toBe(true);
    }
    const parsed = parseFilterExpression("a = 1 or b = 2 and c = 3");
    expect(parsed.ok && parsed.value.kind).toBe("or");
  });

  it("show where a broken expression fails", () => {
    expect(syntaxError("age >= and x = 1")).toBe(
      'expected a value (a field name, a number, a quoted text, true, false or null) after ">=", found the keyword "and" at column 8:\n' +
        "  age >= and x = 1\n" +
        "         ^",
    );
    expect(syntaxError("age >= 30 nationality")).toContain(
      'expected "and", "or" or the end, found "nationality" at column 11',
    );
    expect(syntaxError("(age > 1")).toContain(
      'expected ")" to close the parenthesis, found the end at column 9',
    );
    expect(syntaxError("name = 'open")).toContain("unterminated text: missing closing ' at column 8");
    expect(syntaxError("x in (1, y)")).toContain(
      'expected a number, a quoted text, true, false or null in the "in" list at column 10',
    );
    expect(syntaxError("x is 3")).toContain('expected "null" after "is", found 3');
    expect(syntaxError("age ; 1")).toContain('unexpected character ";" at column 5');
    expect(syntaxError("")).toContain("found the end at column 1");
  });

  it("shows the part around the error of a very long expression", () => {
    const text = `${"a = 1 and ".repeat(50)}b = `;
    const message = syntaxError(text);
    const [, line, caret] = message.split("\n");
    expect(line?.length).toBeLessThan(130);
    expect(caret?.indexOf("^")).toBeGreaterThan(50);
  });
});

describe("filter", () => {
  const rows = [
    { age: 40, nationality: "Dutch" },
    { age: 25, nationality: "Dutch" },
    { age: 50, nationality: "Italian" },
    { age: null, nationality: null },
    { age: "35", nationality: "French" },
  ];

  it("keeps the records that match", () => {
    expect(kept("age >= 30 and nationality != 'Italian'", rows)).toEqual([0]);
    expect(kept("age < 30 or nationality = 'Italian'", rows)).toEqual([1, 2]);
    expect(kept("not (age >= 30)", rows)).toEqual([1, 3, 4]);
    expect(kept("nationality in ('Dutch', 'French')", rows)).toEqual([0, 1, 4]);
    expect(kept("nationality not in ('Dutch', null)", rows)).toEqual([2, 4]);
    expect(kept("age is null", rows)).toEqual([3]);
    expect(kept("age is not null and age = 40", rows)).toEqual([0]);
    expect(kept("age = null", rows)).toEqual([3]);
  });

  it("never matches across types and never throws on odd values", () => {
    // "35" is text where the schema says integer: no numeric comparison holds for it.
    expect(kept("age > 0", rows)).toEqual([0, 1, 2]);
    expect(
      kept("address.city = 'Utrecht'", [
        {},
        { address: null },
        { address: "Utrecht" },
        { address: { city: ["x"] } },
      ]),
    ).toEqual([0]);
    expect(kept("created_at >= '2024-01-01'", [{}, { created_at: "2023-12-31T23:59:59Z" }])).toEqual([0]);
  });

  it("treats a lone field as 'is true'", () => {
    const schema = { type: "object", properties: { id: { type: "integer" }, active: { type: "boolean" } } };
    const mappers = compiled([{ type: "filter", where: "active" }], { schema });
    const records = [true, false, null, "true"].map((active, id) => ({
      stream: "users",
      emitted_at: 1,
      data: { id, active },
    }));
    expect(mapSync(mappers, records).records.map((r) => r.data.id)).toEqual([0]);
  });

  it("counts what it dropped and hands kept records back as the same objects", () => {
    const input = [userRecord({ age: 40 }), userRecord({ age: 20 })];
    const batch = mapSync(compiled([{ type: "filter", where: "age >= 30" }]), input);
    expect(batch.filtered).toBe(1);
    expect(batch.records[0]).toBe(input[0]);
  });

  it("is a config error before any data moves: syntax, unknown field, impossible comparison", () => {
    expect(compileError([{ type: "filter", where: "age >=" }])).toBe(
      'stream users: mapper 1 (filter): the condition does not parse: expected a value (a field name, a number, a quoted text, true, false or null) after ">=", found the end at column 7:\n' +
        "  age >=\n" +
        "        ^",
    );
    expect(compileError([{ type: "filter", where: "agee >= 30" }])).toContain(
      'stream users: mapper 1 (filter): field "agee" is not in the stream\'s schema; its fields are id, name, email',
    );
    expect(compileError([{ type: "filter", where: "age >= 'thirty'" }])).toContain(
      "field \"age\" is integer and is compared with string, which never matches at column 8:\n  age >= 'thirty'\n         ^",
    );
  });
});
