import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PGliteDialect } from "./pglite-dialect.js";
import { migrateStore } from "./store-migrations.js";
import type { StoreTables } from "./store-tables.js";

export interface StoreOptions {
  /** A Postgres URL; without it the store is an embedded PGlite database under `dataDir`. */
  readonly databaseUrl?: string | undefined;
  /** Where the embedded database lives (`<dataDir>/store`). */
  readonly dataDir: string;
}

/** The platform's database, migrated and ready. */
export interface PlatformStore {
  readonly db: Kysely<StoreTables>;
  readonly kind: "pglite" | "postgres";
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the platform store. Example:
 * `const store = await openStore({ dataDir: "/var/lib/weir" })`.
 */
export async function openStore(options: StoreOptions): Promise<PlatformStore> {
  let db: Kysely<StoreTables>;
  let kind: PlatformStore["kind"];
  if (options.databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
    kind = "postgres";
  } else {
    const dir = path.join(options.dataDir, "store");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    db = new Kysely<StoreTables>({ dialect: new PGliteDialect(await PGlite.create(dir)) });
    kind = "pglite";
  }
  try {
    await migrateStore(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, kind, close: () => db.destroy() };
}
