import { createCipheriv, createDecipheriv, randomFillSync } from "node:crypto";

// AES-256-GCM with a random 96-bit nonce per value. A value is written as base64 of
// nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes). Strings are encrypted as their UTF-8 bytes,
// so any AES-GCM implementation can decrypt them; other values (numbers, booleans, objects) as
// their JSON text, marked by a `json:` prefix that is also bound to the ciphertext as
// additional data, so decryption gives back the value with its type.

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const JSON_PREFIX = "json:";
const JSON_AAD = Buffer.from("json");
// Nonces are cut from a pool refilled from the system's CSPRNG: one call per 1024 values.
const POOL_NONCES = 1024;
let pool = Buffer.alloc(0);
let poolAt = 0;

function nextNonce(): Buffer {
  if (poolAt >= pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(NONCE_BYTES * POOL_NONCES));
    poolAt = 0;
  }
  const nonce = pool.subarray(poolAt, poolAt + NONCE_BYTES);
  poolAt += NONCE_BYTES;
  return nonce;
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * A 256-bit key from its text: 64 hex characters, or base64 / base64url of 32 bytes.
 * Example: `parseAesKey("00".repeat(32))?.length // 32`; undefined when it is neither.
 */
export function parseAesKey(text: string): Buffer | undefined {
  if (HEX_KEY.test(text)) return Buffer.from(text, "hex");
  if (BASE64_KEY.test(text)) {
    const bytes = Buffer.from(text, "base64");
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

/** Encrypts and decrypts single values with one key. */
export interface AesGcmCipher {
  /** A JSON value (not null) as ciphertext text; a fresh nonce each call. */
  encrypt(value: unknown): string;
  /** The value back, or undefined when the text is not a ciphertext of this key (wrong key, changed, not ours). */
  decrypt(text: string): { value: unknown } | undefined;
}

/** Example: `const cipher = createAesGcmCipher(parseAesKey(hexKey)!); cipher.decrypt(cipher.encrypt("a"))`. */
export function createAesGcmCipher(key: Buffer): AesGcmCipher {
  if (key.length !== 32) throw new Error("AES-256 needs a 32-byte key");
  return {
    encrypt(value) {
      const isText = typeof value === "string";
      const plain = Buffer.from(isText ? value : JSON.stringify(value), "utf8");
      const nonce = nextNonce();
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      if (!isText) cipher.setAAD(JSON_AAD);
      const out = Buffer.allocUnsafe(NONCE_BYTES + plain.length + TAG_BYTES);
      nonce.copy(out, 0);
      let at = NONCE_BYTES + cipher.update(plain).copy(out, NONCE_BYTES);
      at += cipher.final().copy(out, at);
      cipher.getAuthTag().copy(out, at);
      const text = out.toString("base64");
      return isText ? text : JSON_PREFIX + text;
    },
    decrypt(text) {
      const isJson = text.startsWith(JSON_PREFIX);
      const bytes = Buffer.from(isJson ? text.slice(JSON_PREFIX.length) : text, "base64");
      if (bytes.length < NONCE_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, NONCE_BYTES));
        if (isJson) decipher.setAAD(JSON_AAD);
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]).toString("utf8");
        return { value: isJson ? JSON.parse(plain) : plain };
      } catch {
        // A wrong key or a changed ciphertext fails the tag check: the caller records the value as nulled.
        return undefined;
      }
    },
  };
}
