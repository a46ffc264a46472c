import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compiled, KEY, mapData, mapSync, userRecord } from "./test-fixtures/users-stream.js";

const hmac = (text: string, encoding: "hex" | "base64" = "hex") =>
  createHmac("sha256", KEY).update(text, "utf8").digest(encoding);

describe("hash", () => {
  it("is HMAC-SHA-256 of the UTF-8 text with the key's UTF-8 bytes, lowercase hex by default", () => {
    const data = mapData([{ type: "hash", field: "email", key: KEY }]);
    expect(data?.email).toBe(hmac("alice@example.com"));
    expect(data?.email).toMatch(/^[0-9a-f]{64}$/);
    expect(data?.name).toBe("Alice Martin");
  });

  it("gives base64 and the plain digests when asked", () => {
    expect(mapData([{ type: "hash", field: "email", key: KEY, encoding: "base64" }])?.email).toBe(
      hmac("alice@example.com", "base64"),
    );
    for (const algorithm of ["md5", "sha1", "sha256", "sha512"] as const) {
      const expected = createHash(algorithm).update("alice@example.com").digest("hex");
      expect(mapData([{ type: "hash", field: "email", algorithm }])?.email, algorithm).toBe(expected);
    }
  });

  it("hashes numbers and booleans as their text, objects and lists as their JSON, and leaves null alone", () => {
    const mappers = [{ type: "hash", field: "id", key: KEY }];
    expect(mapData(mappers, { id: 42 })?.id).toBe(hmac("42"));
    // The number 42 and the text "42" hash alike: ids still join when two sources type them apart.
    expect(mapData(mappers, { id: "42" })?.id).toBe(hmac("42"));
    expect(mapData(mappers, { id: true })?.id).toBe(hmac("true"));
    expect(mapData(mappers, { id: { a: [1, "x"] } })?.id).toBe(hmac('{"a":[1,"x"]}'));
    expect(mapData(mappers, { id: null })?.id).toBeNull();
    const record = mapSync(compiled(mappers), [userRecord({ id: null })]).records[0];
    expect(record?.meta).toBeUndefined();
  });

  it("handles emoji, broken UTF-16 and very long values", () => {
    const mappers = [{ type: "hash", field: "name", key: KEY }];
    expect(mapData(mappers, { name: "Zoë 😀" })?.name).toBe(hmac("Zoë 😀"));
    expect(mapData(mappers, { name: "a\uD800" })?.name).toBe(hmac("a\uD800"));
    const long = "x".repeat(5_000_000);
    expect(mapData(mappers, { name: long })?.name).toBe(hmac(long));
  });

  it("is the same in every stream and every compile, so joins survive", () => {
    const users = compiled([{ type: "hash", field: "id", key: KEY }]);
    const purchases = compiled([{ type: "hash", field: "user_id", key: KEY }], {
      stream: "purchases",
      schema: { type: "object", properties: { id: { type: "integer" }, user_id: { type: "integer" } } },
    });
    const user = mapSync(users, [userRecord({ id: 7 })]).records[0]?.data;
    const purchase = mapSync(purchases, [{ stream: "purchases", emitted_at: 1, data: { id: 1, user_id: 7 } }])
      .records[0]?.data;
    expect(purchase?.user_id).toBe(user?.id);
    expect(
      mapSync(compiled([{ type: "hash", field: "id", key: "other key" }]), [userRecord({ id: 7 })]).records[0]
        ?.data.id,
    ).not.toBe(user?.id);
  });

  it("makes the field a string in the schema, keeping its description and nullability", () => {
    const { schema } = compiled([
      { type: "hash", field: "id", key: KEY },
      { type: "hash", field: "name", key: KEY },
      { type: "hash", field: "telephone", key: KEY },
    ]);
    const properties = schema.properties as Record<string, unknown>;
    expect(properties.id).toEqual({ type: "string" });
    expect(properties.name).toEqual({ type: "string", description: "full name" });
    expect(properties.telephone).toEqual({ type: ["null", "string"] });
  });

  it("hashes nested fields without touching the input record", () => {
    const input = userRecord();
    const before = structuredClone(input);
    const out = mapSync(compiled([{ type: "hash", field: "address.city", key: KEY }]), [input]).records[0];
    const address = out?.data.address as { city: string; street: string } | undefined;
    expect(address?.city).toBe(hmac("Utrecht"));
    expect(address?.street).toBe("Oudegracht 1");
    expect(input).toEqual(before);
  });
});
