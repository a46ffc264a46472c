import { describe, expect, it } from "vitest";
import { maskText } from "./masking-mappers.js";
import { compiled, mapData, mapRecord } from "./test-fixtures/users-stream.js";

describe("mask", () => {
  it("keeps the first and last characters asked for", () => {
    expect(mapData([{ type: "mask", field: "telephone", keep_last: 4 }])?.telephone).toBe("***********5678");
    expect(mapData([{ type: "mask", field: "email", keep_first: 2, keep_last: 4, with: "#" }])?.email).toBe(
      "al###########.com",
    );
    expect(mapData([{ type: "mask", field: "name" }])?.name).toBe("************");
  });

  it("removes the masked characters with an empty replacement (Replibyte's keep-first-char)", () => {
    expect(mapData([{ type: "mask", field: "name", keep_first: 1, with: "" }])?.name).toBe("A");
  });

  it("never cuts an emoji in half, and masks values too short to keep anything", () => {
    expect(maskText("ab😀cd😀", 2, 1, "*")).toBe("ab***😀");
    expect(maskText("😀😀😀", 1, 0, "*")).toBe("😀**");
    expect(maskText("abc", 2, 2, "*")).toBe("***");
    expect(maskText("", 1, 1, "*")).toBe("");
    expect(maskText("a\uD800bc", 1, 1, "*")).toBe("a**c");
  });

  it("masks numbers and booleans as text, nulls objects and lists (recorded), leaves null", () => {
    expect(mapData([{ type: "mask", field: "age", keep_last: 1 }])?.age).toBe("*0");
    expect(mapData([{ type: "mask", field: "age" }], { age: true })?.age).toBe("****");
    const record = mapRecord([{ type: "mask", field: "address", keep_first: 1 }]);
    expect(record?.data.address).toBeNull();
    expect(record?.meta?.changes).toEqual([
      { field: "address", change: "NULLED", reason: "PLATFORM_SERIALIZATION_ERROR" },
    ]);
    expect(mapData([{ type: "mask", field: "telephone" }], { telephone: null })?.telephone).toBeNull();
  });

  it("masks very long values whole", () => {
    const out = mapData([{ type: "mask", field: "name", keep_first: 1 }], {
      name: `A${"b".repeat(2_000_000)}`,
    });
    expect(out?.name).toBe(`A${"*".repeat(2_000_000)}`);
  });

  it("makes the field a nullable string", () => {
    const properties = compiled([{ type: "mask", field: "age" }]).schema.properties as Record<
      string,
      unknown
    >;
    expect(properties.age).toEqual({ type: ["null", "string"] });
  });
});

describe("redact", () => {
  it("writes a fixed value instead of any non-null value", () => {
    expect(mapData([{ type: "redact", field: "email" }])?.email).toBe("[redacted]");
    expect(mapData([{ type: "redact", field: "address", value: "gone" }])?.address).toBe("gone");
    expect(mapData([{ type: "redact", field: "age", value: 0 }])?.age).toBe(0);
    expect(mapData([{ type: "redact", field: "telephone" }], { telephone: null })?.telephone).toBeNull();
  });

  it("types the field as its fixed value", () => {
    const properties = compiled([
      { type: "redact", field: "email" },
      { type: "redact", field: "address", value: 0 },
      { type: "redact", field: "weight", value: 1.5 },
      { type: "redact", field: "name", value: null },
    ]).schema.properties as Record<string, unknown>;
    expect(properties.email).toEqual({ type: "string" });
    expect(properties.address).toEqual({ type: ["null", "integer"] });
    expect(properties.weight).toEqual({ type: "number" });
    expect(properties.name).toEqual({ type: "null" });
  });
});

describe("nullify", () => {
  it("nulls every value, keeps the field, and makes its type nullable", () => {
    const mappers = [{ type: "nullify", field: "email" }];
    const record = mapRecord(mappers);
    expect(record?.data).toHaveProperty("email", null);
    // A deliberate null is configuration, not something the mapper had to do: no change entry.
    expect(record?.meta).toBeUndefined();
    const properties = compiled(mappers).schema.properties as Record<string, unknown>;
    expect(properties.email).toEqual({ type: ["null", "string"] });
  });
});
