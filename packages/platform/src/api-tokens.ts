import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { StoreTables } from "./store-tables.js";

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * Creates an API token and returns it: the only time it is seen, the store keeps its hash.
 * Example: `const token = await createApiToken(db, "initial")`.
 */
export async function createApiToken(db: Kysely<StoreTables>, name: string): Promise<string> {
  const token = `weir_${randomBytes(32).toString("base64url")}`;
  await db
    .insertInto("api_tokens")
    .values({ id: randomUUID(), name, token_hash: hashToken(token) })
    .execute();
  return token;
}

/** Whether a token exists. Example: `await verifyApiToken(db, bearer)`. */
export async function verifyApiToken(db: Kysely<StoreTables>, token: string): Promise<boolean> {
  const row = await db
    .selectFrom("api_tokens")
    .select("id")
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the store has any token yet (a fresh store gets an initial one). */
export async function hasApiTokens(db: Kysely<StoreTables>): Promise<boolean> {
  return (await db.selectFrom("api_tokens").select("id").limit(1).executeTakeFirst()) !== undefined;
}
