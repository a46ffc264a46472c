import { describe, expect, it } from "vitest";
import {
  displayTableName,
  parseTableReference,
  referenceMatches,
  resolveTableReference,
} from "./table-reference.js";

describe("table references", () => {
  it("parses bare, qualified and quoted names", () => {
    expect(parseTableReference("users")).toEqual({ schema: undefined, name: "users" });
    expect(parseTableReference("public.users")).toEqual({ schema: "public", name: "users" });
    expect(parseTableReference('"Sales Ünits"."Order.Items"')).toEqual({
      schema: "Sales Ünits",
      name: "Order.Items",
    });
    expect(parseTableReference('"a""b".c')).toEqual({ schema: 'a"b', name: "c" });
    expect(parseTableReference("a.b.c")).toHaveProperty("error");
    expect(parseTableReference('"open')).toHaveProperty("error");
  });

  it("matches * wildcards and resolves one table, with a hint for the wrong case", () => {
    const tables = [
      { schema: "public", name: "Users" },
      { schema: "public", name: "tmp_1" },
      { schema: "audit", name: "tmp_1" },
    ];
    expect(tables.filter((t) => referenceMatches({ schema: undefined, name: "tmp_*" }, t))).toHaveLength(2);
    expect(resolveTableReference("Users", tables)).toMatchObject({ ok: true, value: { name: "Users" } });
    expect(resolveTableReference("users", tables)).toMatchObject({
      ok: false,
      message: expect.stringContaining('did you mean public."Users"'),
    });
    expect(resolveTableReference("tmp_1", tables)).toMatchObject({
      ok: false,
      message: expect.stringContaining("several schemas"),
    });
    expect(displayTableName({ schema: "Sales Ünits", name: "x" })).toBe('"Sales Ünits".x');
  });
});
