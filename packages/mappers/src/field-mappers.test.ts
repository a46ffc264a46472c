import { describe, expect, it } from "vitest";
import { compiled, compileError, KEY, mapData, mapSync, userRecord } from "./test-fixtures/users-stream.js";

describe("drop", () => {
  it("removes the field from records and schema (and from required)", () => {
    const mappers = [{ type: "drop", field: "email" }];
    const data = mapData(mappers);
    expect(data).not.toHaveProperty("email");
    expect(Object.keys(data ?? {})).not.toContain("email");
    const { schema } = compiled(mappers);
    expect(schema.properties).not.toHaveProperty("email");
    expect(schema.required).toEqual(["id"]);
  });

  it("removes nested fields, and leaves records without the field alone", () => {
    const mappers = [{ type: "drop", field: ["address", "street"] }];
    expect(mapData(mappers)?.address).toEqual({ city: "Utrecht" });
    expect(mapData(mappers, { address: null })?.address).toBeNull();
    expect(mapData([{ type: "drop", field: "email" }], { email: undefined })?.email).toBeUndefined();
    const { schema } = compiled(mappers);
    expect((schema.properties as { address: { properties: object } }).address.properties).toEqual({
      city: { type: "string" },
    });
  });
});

describe("rename", () => {
  it("moves the value and keeps the column's place in the schema", () => {
    const mappers = [{ type: "rename", field: "occupation", to: "job" }];
    const data = mapData(mappers);
    expect(data?.job).toBe("engineer");
    expect(data).not.toHaveProperty("occupation");
    const names = Object.keys(compiled(mappers).schema.properties as object);
    expect(names.indexOf("job")).toBe(6);
    expect(names).not.toContain("occupation");
  });

  it("renames in required, and nested fields in their object", () => {
    const { schema } = compiled([
      { type: "rename", field: "email", to: "mail" },
      { type: "rename", field: "address.city", to: "town" },
    ]);
    expect(schema.required).toEqual(["id", "mail"]);
    expect(mapData([{ type: "rename", field: "address.city", to: "town" }])?.address).toEqual({
      town: "Utrecht",
      street: "Oudegracht 1",
    });
  });

  it("lets later mappers use the new name, and not the old one", () => {
    expect(
      mapData([
        { type: "rename", field: "occupation", to: "job" },
        { type: "hash", field: "job", key: KEY },
      ])?.job,
    ).toMatch(/^[0-9a-f]{64}$/);
    expect(
      compileError([
        { type: "rename", field: "occupation", to: "job" },
        { type: "mask", field: "occupation" },
      ]),
    ).toContain('mapper 2 (mask): field "occupation" is not in the stream\'s schema');
  });

  it("refuses to rename onto an existing field, or two fields onto one name", () => {
    expect(compileError([{ type: "rename", field: "occupation", to: "email" }])).toBe(
      'stream users: mapper 1 (rename): field "email" already exists in the stream\'s schema: drop it first, or rename it too',
    );
    expect(
      compileError([
        { type: "rename", field: "occupation", to: "job" },
        { type: "rename", field: "nationality", to: "job" },
      ]),
    ).toBe('stream users: mapper 2 (rename): mapper 1 (rename) already produces field "job"');
    expect(
      compileError([
        { type: "set", field: "job", value: "x" },
        { type: "rename", field: "occupation", to: "job" },
      ]),
    ).toContain('mapper 1 (set) already produces field "job"');
    // Dropping the old field first frees its name.
    expect(
      mapData([
        { type: "drop", field: "email" },
        { type: "rename", field: "occupation", to: "email" },
      ])?.email,
    ).toBe("engineer");
  });

  it("returns fresh objects and leaves the input untouched", () => {
    const input = userRecord();
    const before = structuredClone(input);
    const [out] = mapSync(
      compiled([
        { type: "rename", field: "occupation", to: "job" },
        { type: "drop", field: "address.city" },
      ]),
      [input],
    ).records;
    expect(out).not.toBe(input);
    expect(input).toEqual(before);
  });
});
