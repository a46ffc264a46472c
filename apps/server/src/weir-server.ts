import { chmod, mkdir, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { serve } from "@hono/node-server";
import {
  createApiToken,
  createSecretBox,
  hasApiTokens,
  loadSecretKey,
  openStore,
  type PlatformStore,
  type RetryPolicy,
  type SyncWorker,
  startSyncWorker,
} from "@weir/platform";
import type { Hono } from "hono";
import { sql } from "kysely";
import { createServerApp } from "./server-app.js";

// Servers starting at once on one empty Postgres: only the first one makes a token.
const INITIAL_TOKEN_LOCK = 7_310_552_902;

async function createInitialToken(store: PlatformStore): Promise<string | undefined> {
  return store.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${INITIAL_TOKEN_LOCK})`.execute(connection);
    try {
      return (await hasApiTokens(connection)) ? undefined : await createApiToken(connection, "initial");
    } finally {
      await sql`select pg_advisory_unlock(${INITIAL_TOKEN_LOCK})`.execute(connection);
    }
  });
}

export interface WeirServerOptions {
  /** Default 8000; 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly dataDir: string;
  /** A Postgres URL; without it the store is embedded PGlite under `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Where the initial token is announced; default stdout. */
  readonly log?: (line: string) => void;
  /** Whether this process runs syncs (default true). */
  readonly worker?: boolean;
  /** The worker's retry limits and backoff (Airbyte's defaults otherwise). */
  readonly retry?: Partial<RetryPolicy>;
}

/** A running server. */
export interface WeirServer {
  readonly url: string;
  readonly app: Hono;
  readonly store: PlatformStore;
  readonly worker: SyncWorker | undefined;
  /** Set on the first start of an empty store: the token, also in `<dataDir>/initial-token`. */
  readonly initialToken: string | undefined;
  close(): Promise<void>;
}

/**
 * Opens the store (migrating it), makes the initial token on an empty store, starts a sync
 * worker and serves the API. Example: `const server = await startWeirServer({ dataDir: "./weir-data" })`.
 */
export async function startWeirServer(options: WeirServerOptions): Promise<WeirServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const box = createSecretBox(await loadSecretKey(options.dataDir, env));
  const store = await openStore({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  const initialToken = await createInitialToken(store);
  if (initialToken !== undefined) {
    const file = path.join(options.dataDir, "initial-token");
    await writeFile(file, `${initialToken}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    log(`weir server: the initial API token (shown once, also in ${file}): ${initialToken}`);
  }
  if (store.kind === "pglite") {
    // Only this process opens an embedded store: a job still "running" lost its process.
    await store.db
      .updateTable("jobs")
      .set({ status: "pending", worker_id: null })
      .where("status", "in", ["running", "incomplete"])
      .execute();
  }
  const worker =
    options.worker === false
      ? undefined
      : startSyncWorker({
          db: store.db,
          box,
          ...(options.retry === undefined ? {} : { retry: options.retry }),
        });
  const app = createServerApp({ db: store.db, box, worker });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: options.port ?? 8000, hostname: options.host ?? "127.0.0.1" },
      () => resolve(s),
    );
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${address.port}`;
  log(`weir server: listening on ${url} (API at ${url}/api/public/v1, OpenAPI at ${url}/api/openapi.json)`);
  return {
    url,
    app,
    store,
    worker,
    initialToken,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker?.stop();
      await store.close();
    },
  };
}
