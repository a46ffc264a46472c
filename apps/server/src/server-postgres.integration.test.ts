import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWeirServer, type WeirServer } from "./weir-server.js";

const POSTGRES_URL = process.env.WEIR_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const database = `weir_server_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

describe("weir server on Postgres", () => {
  let dir: string;
  let servers: WeirServer[] = [];

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${database}"`);
    dir = await mkdtemp(path.join(os.tmpdir(), "weir-server-pg-"));
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    const start = (name: string) =>
      startWeirServer({
        port: 0,
        dataDir: path.join(dir, name),
        databaseUrl: url.toString(),
        env: { WEIR_SECRET_KEY: "one key for every server of this store" },
        log: () => undefined,
      });
    // Two servers starting at once on one empty database: one migration, one initial token.
    servers = await Promise.all([start("a"), start("b")]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await rm(dir, { recursive: true, force: true });
  });

  it("shares one store between two servers and syncs through either", async () => {
    const tokens = servers.map((s) => s.initialToken).filter((t) => t !== undefined);
    expect(tokens).toHaveLength(1);
    const token = tokens[0] as string;
    const [a, b] = servers as [WeirServer, WeirServer];
    const call = async (server: WeirServer, method: string, url: string, body?: unknown) => {
      const response = await fetch(`${server.url}/v1/${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const workspaceId = (await call(a, "POST", "workspaces", { name: "pg" })).body.workspaceId;
    const sourceId = (
      await call(b, "POST", "sources", {
        name: "f",
        workspaceId,
        configuration: { sourceType: "faker", count: 20, seed: 1 },
      })
    ).body.sourceId;
    const out = path.join(dir, "out");
    const destinationId = (
      await call(a, "POST", "destinations", {
        name: "j",
        workspaceId,
        configuration: { destinationType: "local-json", destination_path: out },
      })
    ).body.destinationId;
    const connection = await call(b, "POST", "connections", {
      sourceId,
      destinationId,
      configurations: { streams: [{ name: "users", syncMode: "incremental_append" }] },
    });
    expect(connection.status).toBe(200);
    const connectionId = connection.body.connectionId;
    const job = await call(a, "POST", "jobs", { connectionId, jobType: "sync" });
    expect(job.status).toBe(200);
    let status = "";
    while (!["succeeded", "failed", "cancelled"].includes(status)) {
      await sleep(100);
      status = String((await call(b, "GET", `jobs/${job.body.jobId}`)).body.status);
    }
    expect((await call(b, "GET", `jobs/${job.body.jobId}`)).body).toMatchObject({
      status: "succeeded",
      rowsSynced: 20,
    });
    expect((await readFile(path.join(out, "users.jsonl"), "utf8")).trim().split("\n")).toHaveLength(20);
    const state = await a.store.db
      .selectFrom("connection_states")
      .select("state")
      .where("connection_id", "=", String(connectionId))
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(state.state)).toContain("users");
  });
});
