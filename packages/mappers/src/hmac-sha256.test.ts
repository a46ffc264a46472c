import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createHmacSha256, digestBase64, digestHex } from "./hmac-sha256.js";

const reference = (key: string | Buffer, text: string, encoding: "hex" | "base64" = "hex") =>
  createHmac("sha256", key).update(text, "utf8").digest(encoding);

describe("createHmacSha256", () => {
  it("matches node:crypto at every padding boundary", () => {
    const mac = createHmacSha256("key");
    // 55/56/64 bytes are where the length no longer fits the first block.
    for (const length of [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const text = "x".repeat(length);
      expect(digestHex(mac(text)), `length ${length}`).toBe(reference("key", text));
    }
  });

  it("hashes the UTF-8 bytes: accents, emoji, and lone surrogates as U+FFFD like Buffer.from", () => {
    const mac = createHmacSha256("k");
    for (const text of ["é", "naïve café", "😀👩‍👩‍👧", "a\uD800b", "\uDFFF", "中文".repeat(40)]) {
      expect(digestHex(mac(text))).toBe(reference("k", text));
    }
  });

  it("takes keys longer than a block (hashed first) and raw byte keys", () => {
    const long = "k".repeat(200);
    expect(digestHex(createHmacSha256(long)("v"))).toBe(reference(long, "v"));
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    expect(digestHex(createHmacSha256(bytes)("v"))).toBe(reference(bytes, "v"));
    expect(digestHex(createHmacSha256("")("v"))).toBe(reference("", "v"));
  });

  it("handles values of megabytes", () => {
    const text = "é".repeat(600_000);
    expect(digestHex(createHmacSha256("k")(text))).toBe(reference("k", text));
  });

  it("encodes as base64 too", () => {
    expect(digestBase64(createHmacSha256("k")("v"))).toBe(reference("k", "v", "base64"));
  });

  it("keeps two keys apart when used in turn", () => {
    const a = createHmacSha256("a");
    const b = createHmacSha256("b");
    const first = digestHex(a("v"));
    digestHex(b("v"));
    expect(digestHex(a("v"))).toBe(first);
    expect(first).toBe(reference("a", "v"));
  });
});
