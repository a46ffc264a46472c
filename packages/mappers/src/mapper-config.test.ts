import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MapperConfig, MapperConfigList, RecordValidationMode, redactMapperKeys } from "./mapper-config.js";

/** The messages of a failed parse, each with its path. */
function problems(input: unknown): string[] {
  const result = MapperConfigList.safeParse(input);
  if (result.success) throw new Error("expected the config to be rejected");
  return result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("MapperConfig", () => {
  it("accepts the issue's example as written", () => {
    const parsed = MapperConfigList.parse([
      { type: "hash", field: "email", key: "k" },
      { type: "fake", field: "name", kind: "full_name", key: "k" },
      { type: "mask", field: "telephone", keep_last: 4, with: "*" },
      { type: "drop", field: "blood_type" },
      { type: "rename", field: "occupation", to: "job" },
      { type: "filter", where: "age >= 30 and nationality != 'Italian'" },
    ]);
    expect(parsed).toHaveLength(6);
    // Nothing is filled in: what is stored is what the user wrote.
    expect(parsed[0]).toEqual({ type: "hash", field: "email", key: "k" });
  });

  it("names an unknown mapper type and lists the known ones", () => {
    const [message] = problems([{ type: "hsah", field: "email" }]);
    expect(message).toContain('unknown mapper type "hsah"');
    expect(message).toContain("hash, fake, mask");
    expect(problems([{ field: "email" }])[0]).toContain("a mapper needs a type");
  });

  it("names a misspelt option", () => {
    expect(problems([{ type: "mask", field: "telephone", keep_lst: 4 }]).join("\n")).toContain("keep_lst");
  });

  it("needs a key for keyed hashing, fakes, date shifts and encryption", () => {
    expect(problems([{ type: "hash", field: "email" }])[0]).toMatch(
      /^0\.key: hash needs a key for hmac-sha256/,
    );
    expect(problems([{ type: "hash", field: "email", key: "" }])[0]).toContain("the key is empty");
    expect(problems([{ type: "fake", field: "name", kind: "full_name" }])[0]).toContain("fake needs a key");
    expect(problems([{ type: "shift_date", field: "d", max_days: 3 }])[0]).toContain(
      "shift_date needs a key",
    );
    expect(problems([{ type: "encrypt", field: "email" }])[0]).toContain("encrypt needs a key");
    expect(problems([{ type: "decrypt", field: "email" }])[0]).toContain("decrypt needs a key");
  });

  it("takes plain digests without a key, and refuses a key they would ignore", () => {
    expect(MapperConfig.parse({ type: "hash", field: "email", algorithm: "sha256" })).toBeTruthy();
    expect(problems([{ type: "hash", field: "email", algorithm: "md5", key: "k" }])[0]).toContain(
      "md5 takes no key",
    );
  });

  it("wants a 256-bit encryption key and never echoes it", () => {
    const [message] = problems([{ type: "encrypt", field: "email", key: "too-short-secret" }]);
    expect(message).toContain("64 hex characters or base64 of 32 bytes");
    expect(message).not.toContain("too-short-secret");
    expect(MapperConfig.parse({ type: "encrypt", field: "e", key: "ab".repeat(32) })).toBeTruthy();
    expect(
      MapperConfig.parse({ type: "encrypt", field: "e", key: Buffer.alloc(32, 7).toString("base64") }),
    ).toBeTruthy();
  });

  it("checks the options' shapes", () => {
    expect(problems([{ type: "mask", field: "x", with: "ab" }])[0]).toContain("one character");
    expect(problems([{ type: "mask", field: "x", keep_first: -1 }])[0]).toMatch(/keep_first/);
    expect(problems([{ type: "round", field: "x", precision: 1, unit: "day" }])[0]).toContain("not both");
    expect(problems([{ type: "set", field: "x" }])[0]).toContain(
      "exactly one of value, from, template or where",
    );
    expect(problems([{ type: "set", field: "x", value: 1, from: "y" }])[0]).toContain("exactly one");
    expect(problems([{ type: "filter", where: "" }])[0]).toContain("where must not be empty");
    expect(problems([{ type: "drop", field: [] }])[0]).toMatch(/path must not be empty/);
    expect(problems([{ type: "fake", field: "x", kind: "horoscope", key: "k" }])[0]).toMatch(/kind/);
  });

  it("takes nested paths as dotted text or as a list, and null as a set value", () => {
    expect(MapperConfig.parse({ type: "drop", field: "address.city" })).toBeTruthy();
    expect(MapperConfig.parse({ type: "drop", field: ["address", "city"] })).toBeTruthy();
    expect(MapperConfig.parse({ type: "set", field: "x", value: null })).toEqual({
      type: "set",
      field: "x",
      value: null,
    });
  });

  it("exports to JSON Schema, for the server's API and forms", () => {
    const schema = z.toJSONSchema(MapperConfigList, { unrepresentable: "any" }) as { type?: string };
    expect(schema.type).toBe("array");
    expect(RecordValidationMode.options).toEqual(["off", "warn", "skip", "fail"]);
  });
});

describe("redactMapperKeys", () => {
  it("hides every key and leaves the rest", () => {
    const mappers = MapperConfigList.parse([
      { type: "hash", field: "email", key: "s3cret" },
      { type: "drop", field: "x" },
      { type: "encrypt", field: "e", key: "ab".repeat(32) },
    ]);
    const shown = JSON.stringify(redactMapperKeys(mappers));
    expect(shown).not.toContain("s3cret");
    expect(shown).not.toContain("abab");
    expect(redactMapperKeys(mappers)[1]).toEqual({ type: "drop", field: "x" });
  });
});
