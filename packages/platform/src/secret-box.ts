import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const PREFIX = "weir:v1:";

/** Encrypts and decrypts single values with AES-256-GCM, a random nonce per value. */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/**
 * A box for a 32-byte key. Example: `createSecretBox(randomBytes(32)).seal("hunter2")`.
 */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error("a secret key has 32 bytes");
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return PREFIX + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString("base64");
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new Error("not a sealed value");
      const raw = Buffer.from(sealed.slice(PREFIX.length), "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}

/**
 * The store's secret key: from `WEIR_SECRET_KEY` (any string, hashed to 32 bytes) or from
 * `<dataDir>/secret-key`, generated there once with mode 0600.
 * Example: `createSecretBox(await loadSecretKey("/var/lib/weir", process.env))`.
 */
export async function loadSecretKey(dataDir: string, env: NodeJS.ProcessEnv): Promise<Buffer> {
  const fromEnv = env.WEIR_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv !== "") return createHash("sha256").update(fromEnv).digest();
  const file = path.join(dataDir, "secret-key");
  try {
    return Buffer.from((await readFile(file, "utf8")).trim(), "base64");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // "wx": when two processes start at once, the second reads the first one's key.
    await writeFile(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return Buffer.from((await readFile(file, "utf8")).trim(), "base64");
  }
}
