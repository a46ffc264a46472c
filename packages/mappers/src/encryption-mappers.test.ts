import { createDecipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createAesGcmCipher, parseAesKey } from "./aes-gcm-cipher.js";
import { AES_KEY, compiled, mapSync, userRecord } from "./test-fixtures/users-stream.js";

describe("encrypt and decrypt", () => {
  it("round-trip every JSON value with its type", () => {
    const encrypt = compiled([
      { type: "encrypt", field: "email", key: AES_KEY },
      { type: "encrypt", field: "age", key: AES_KEY },
      { type: "encrypt", field: "address", key: AES_KEY },
      { type: "encrypt", field: "tags", key: AES_KEY },
    ]);
    const decrypt = compiled(
      [
        { type: "decrypt", field: "email", key: AES_KEY },
        { type: "decrypt", field: "age", key: AES_KEY, json_schema: { type: "integer" } },
        { type: "decrypt", field: "address", key: AES_KEY },
        { type: "decrypt", field: "tags", key: AES_KEY },
      ],
      { schema: encrypt.schema },
    );
    const input = userRecord({ email: "zoë😀@example.com" });
    const [secret] = mapSync(encrypt, [input]).records;
    expect(secret?.data.email).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(secret?.data.age).toMatch(/^json:/);
    expect(JSON.stringify(secret)).not.toContain("Utrecht");
    const [plain] = mapSync(decrypt, [secret as NonNullable<typeof secret>]).records;
    expect(plain?.data).toEqual(input.data);
    expect((decrypt.schema.properties as { age: unknown }).age).toEqual({ type: "integer" });
  });

  it("uses a fresh nonce per value", () => {
    const encrypt = compiled([{ type: "encrypt", field: "email", key: AES_KEY }]);
    const [a, b] = mapSync(encrypt, [userRecord(), userRecord()]).records;
    expect(a?.data.email).not.toBe(b?.data.email);
  });

  it("writes the standard layout: base64 of nonce, ciphertext, tag; any AES-GCM library decrypts it", () => {
    const [out] = mapSync(compiled([{ type: "encrypt", field: "email", key: AES_KEY }]), [
      userRecord(),
    ]).records;
    const bytes = Buffer.from(String(out?.data.email), "base64");
    const decipher = createDecipheriv("aes-256-gcm", Buffer.from(AES_KEY, "hex"), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    expect(plain.toString("utf8")).toBe("alice@example.com");
  });

  it("nulls what does not decrypt, and records it: wrong key, changed, not a ciphertext, not a string", () => {
    const cipher = createAesGcmCipher(parseAesKey("b2".repeat(32)) as Buffer);
    const other = cipher.encrypt("x");
    const tampered = (() => {
      const bytes = Buffer.from(createAesGcmCipher(parseAesKey(AES_KEY) as Buffer).encrypt("x"), "base64");
      bytes[13] = (bytes[13] as number) ^ 1;
      return bytes.toString("base64");
    })();
    const decrypt = compiled([{ type: "decrypt", field: "email", key: AES_KEY }]);
    for (const bad of [other, tampered, "hello", "", "json:!!", 42, { a: 1 }]) {
      const [out] = mapSync(decrypt, [userRecord({ email: bad })]).records;
      expect(out?.data.email, String(bad)).toBeNull();
      expect(out?.meta?.changes).toEqual([
        { field: "email", change: "NULLED", reason: "PLATFORM_SERIALIZATION_ERROR" },
      ]);
    }
  });

  it("reads keys as hex or base64 of 32 bytes only", () => {
    expect(parseAesKey("ab".repeat(32))).toHaveLength(32);
    expect(parseAesKey(Buffer.alloc(32, 1).toString("base64"))).toHaveLength(32);
    expect(parseAesKey(Buffer.alloc(32, 1).toString("base64url"))).toHaveLength(32);
    expect(parseAesKey("ab".repeat(16))).toBeUndefined();
    expect(parseAesKey("correct horse battery staple")).toBeUndefined();
  });
});
