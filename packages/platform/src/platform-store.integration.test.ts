import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, verifyApiToken } from "./api-tokens.js";
import { openConfig, sealConfig } from "./config-secrets.js";
import { findDefinition } from "./connector-definitions.js";
import { cancelJob, claimNextJob, enqueueSync } from "./job-queue.js";
import { openStore, type PlatformStore } from "./platform-store.js";
import { createSecretBox } from "./secret-box.js";

const POSTGRES_URL = process.env.WEIR_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

interface Backend {
  readonly name: string;
  open(): Promise<PlatformStore>;
  /** Opens a second store on the same database, as a second process would (Postgres only). */
  readonly openAnother?: () => Promise<PlatformStore>;
  cleanup(): Promise<void>;
}

async function pgliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "weir-store-"));
  return {
    name: "pglite",
    open: () => openStore({ dataDir: dir }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresBackend(): Promise<Backend> {
  const name = `weir_platform_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), "weir-store-pg-"));
  const open = () => openStore({ dataDir: dir, databaseUrl: url.toString() });
  return {
    name: "postgres",
    open,
    openAnother: open,
    cleanup: async () => {
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe.each([
  ["pglite", pgliteBackend],
  ["postgres", postgresBackend],
])("the store on %s", (_name, makeBackend) => {
  let backend: Backend;
  let store: PlatformStore;
  const others: PlatformStore[] = [];

  beforeAll(async () => {
    backend = await makeBackend();
    if (backend.openAnother !== undefined) {
      // Three processes starting at once: the advisory lock lets exactly one migrate.
      const opened = await Promise.all([backend.open(), backend.openAnother(), backend.openAnother()]);
      store = opened[0] as PlatformStore;
      others.push(...opened.slice(1));
    } else {
      store = await backend.open();
    }
  });

  afterAll(async () => {
    await Promise.all([store?.close(), ...others.map((o) => o.close())]);
    await backend?.cleanup();
  });

  async function connection(): Promise<string> {
    const workspace = randomUUID();
    const source = randomUUID();
    const destination = randomUUID();
    const id = randomUUID();
    await store.db.insertInto("workspaces").values({ id: workspace, name: "w" }).execute();
    const actor = (actorId: string) => ({
      id: actorId,
      workspace_id: workspace,
      name: "a",
      connector: JSON.stringify({ type: "builtin", name: "source-faker" }),
      definition_id: randomUUID(),
      config: "{}",
    });
    await store.db.insertInto("sources").values(actor(source)).execute();
    await store.db.insertInto("destinations").values(actor(destination)).execute();
    await store.db
      .insertInto("connections")
      .values({
        id,
        workspace_id: workspace,
        source_id: source,
        destination_id: destination,
        name: "c",
        streams: "null",
        schedule: JSON.stringify({ scheduleType: "manual" }),
        namespace_definition: "destination",
        prefix: "",
        non_breaking_changes: "ignore",
        status: "active",
      })
      .execute();
    return id;
  }

  it("migrates once, and opening again changes nothing", async () => {
    const { rows } = await sql<{ id: number }>`select id from weir_migrations`.execute(store.db);
    expect(rows.map((r) => r.id)).toEqual([1]);
  });

  it("keeps one live job per connection and hands each pending job to one worker", async () => {
    const a = await connection();
    const b = await connection();
    const first = await enqueueSync(store.db, a);
    expect(first.ok).toBe(true);
    expect(await enqueueSync(store.db, a)).toEqual({ ok: false, reason: "busy" });
    expect((await enqueueSync(store.db, b)).ok).toBe(true);
    const workers = [store, ...others, store].slice(0, 3);
    const claimed = await Promise.all(workers.map((w, i) => claimNextJob(w.db, `w${i}`)));
    const ids = claimed.filter((job) => job !== undefined).map((job) => job.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(claimed.filter((job) => job !== undefined).every((job) => job.status === "running")).toBe(true);
  });

  it("cancels pending jobs at once, flags running ones, refuses finished ones", async () => {
    const c = await connection();
    const queued = await enqueueSync(store.db, c);
    if (!queued.ok) throw new Error("not queued");
    const cancelled = await cancelJob(store.db, queued.job.id);
    expect(cancelled).toMatchObject({ ok: true, wasRunning: false, job: { status: "cancelled" } });
    expect(await cancelJob(store.db, queued.job.id)).toEqual({ ok: false, reason: "not-running" });
    expect(await cancelJob(store.db, 987_654)).toEqual({ ok: false, reason: "not-found" });
    const again = await enqueueSync(store.db, c);
    expect(again.ok).toBe(true);
  });

  it("stores tokens hashed and secrets sealed", async () => {
    const token = await createApiToken(store.db, "t");
    expect(await verifyApiToken(store.db, token)).toBe(true);
    expect(await verifyApiToken(store.db, `${token}x`)).toBe(false);
    const rows = await store.db.selectFrom("api_tokens").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    const duckdb = findDefinition("destination", { name: "duckdb" });
    if (duckdb === undefined) throw new Error("no duckdb");
    const box = createSecretBox(randomBytes(32));
    const sealed = sealConfig(
      duckdb.connector.spec,
      { destination_path: "/x", motherduck_api_key: "s3cr3t-value" },
      box,
    );
    expect(JSON.stringify(sealed)).not.toContain("s3cr3t-value");
    expect(openConfig(sealed, box)).toEqual({ destination_path: "/x", motherduck_api_key: "s3cr3t-value" });
  });
});
