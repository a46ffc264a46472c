import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestServer, startApiTestServer } from "./api-test-server.js";

let t: ApiTestServer;
const call: ApiTestServer["call"] = (...args) => t.call(...args);

beforeAll(async () => {
  t = await startApiTestServer();
});

afterAll(async () => {
  await t?.close();
});

describe("connections and jobs", () => {
  let workspaceId: string;
  let sourceId: string;
  let destinationId: string;
  let outDir: string;

  beforeAll(async () => {
    outDir = path.join(t.dir, "jsonl");
    workspaceId = String((await call("POST", "workspaces", { name: "syncs" })).body.workspaceId);
    sourceId = String(
      (
        await call("POST", "sources", {
          name: "fake",
          workspaceId,
          configuration: { sourceType: "faker", count: 50, seed: 7 },
        })
      ).body.sourceId,
    );
    destinationId = String(
      (
        await call("POST", "destinations", {
          name: "files",
          workspaceId,
          configuration: { destinationType: "local-json", destination_path: outDir },
        })
      ).body.destinationId,
    );
  });

  it("lists a source's streams with the modes the destination takes", async () => {
    const streams = await call("GET", `streams?sourceId=${sourceId}&destinationId=${destinationId}`);
    expect(streams.status).toBe(200);
    const users = (streams.body as unknown as Record<string, unknown>[]).find(
      (s) => s.streamName === "users",
    );
    expect(users).toMatchObject({
      sourceDefinedCursorField: true,
      defaultCursorField: ["updated_at"],
      sourceDefinedPrimaryKey: [["id"]],
    });
    // destination-jsonl takes append and overwrite only.
    expect(users?.syncModes).toEqual(["full_refresh_overwrite", "full_refresh_append", "incremental_append"]);
    expect(users?.propertyFields).toEqual(expect.arrayContaining([["id"], ["updated_at"]]));
    const withoutDestination = await call("GET", `streams?sourceId=${sourceId}`);
    expect((withoutDestination.body as unknown as Record<string, unknown>[])[0]?.syncModes).toBeNull();
    const missing = await call("GET", "streams");
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.data)).toContain("sourceId");
  });

  it("checks stream configurations: 400 naming the stream, 404 for unknown actors", async () => {
    const unknownStream = await call("POST", "connections", {
      sourceId,
      destinationId,
      configurations: { streams: [{ name: "nope" }] },
    });
    expect(unknownStream.status).toBe(400);
    expect(JSON.stringify(unknownStream.body.data)).toContain("nope");
    const badMode = await call("POST", "connections", {
      sourceId,
      destinationId,
      configurations: { streams: [{ name: "users", syncMode: "sometimes" }] },
    });
    expect(badMode.status).toBe(400);
    expect(JSON.stringify(badMode.body.data)).toContain("syncMode");
    const noSource = await call("POST", "connections", {
      sourceId: "00000000-0000-0000-0000-000000000000",
      destinationId,
    });
    expect(noSource.status).toBe(404);
  });

  it("syncs faker to jsonl through the API, with counts and saved state", async () => {
    const created = await call("POST", "connections", {
      name: "fake to files",
      sourceId,
      destinationId,
      configurations: {
        streams: [
          { name: "users", syncMode: "incremental_append" },
          { name: "products", syncMode: "full_refresh_overwrite" },
        ],
      },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: "active", schedule: { scheduleType: "manual" }, tags: [] });
    const connectionId = String(created.body.connectionId);
    const patched = await call("PATCH", `connections/${connectionId}`, {
      schedule: { scheduleType: "cron", cronExpression: "0 0 2 * * ?" },
    });
    expect(patched.body.schedule).toEqual({ scheduleType: "cron", cronExpression: "0 0 2 * * ? UTC" });
    const job = await call("POST", "jobs", { connectionId, jobType: "sync" });
    expect(job.status).toBe(200);
    expect(typeof job.body.jobId).toBe("number");
    const done = await t.waitForJob(job.body.jobId, (s) => ["succeeded", "failed", "cancelled"].includes(s));
    expect(done).toMatchObject({ status: "succeeded", rowsSynced: 150, jobType: "sync", connectionId });
    const users = (await readFile(path.join(outDir, "users.jsonl"), "utf8")).trim().split("\n");
    const products = (await readFile(path.join(outDir, "products.jsonl"), "utf8")).trim().split("\n");
    expect(users).toHaveLength(50);
    expect(products).toHaveLength(100);
    const state = await t.server.store.db
      .selectFrom("connection_states")
      .select("state")
      .where("connection_id", "=", connectionId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(state.state)).toContain("users");
    const attempt = await t.server.store.db
      .selectFrom("attempts")
      .selectAll()
      .where("job_id", "=", Number(job.body.jobId))
      .executeTakeFirstOrThrow();
    expect(attempt.status).toBe("succeeded");
    expect(attempt.streams.find((s) => s.name === "users")?.recordsCommitted).toBe(50);
    const logs = await t.server.store.db
      .selectFrom("attempt_logs")
      .select(["origin", "message"])
      .where("attempt_id", "=", attempt.id)
      .execute();
    expect(logs.length).toBeGreaterThan(0);
    const apiLogs = await call("GET", `jobs/${job.body.jobId}/logs?limit=1`);
    expect(apiLogs.body.data).toHaveLength(1);
    expect(apiLogs.body.next).toContain("offset=1");
    const attempts = await call("GET", `jobs/${job.body.jobId}/attempts`);
    expect(attempts.body.data?.[0]).toMatchObject({ attemptNumber: 1, status: "succeeded" });
    const list = await call("GET", `jobs?connectionId=${connectionId}&orderBy=createdAt|DESC`);
    expect(list.body.data?.[0]?.jobId).toBe(job.body.jobId);
    expect((await call("GET", "jobs?orderBy=name|ASC")).status).toBe(400);
    expect((await call("GET", "jobs/999999")).status).toBe(404);
  });

  it("retries a failing sync as Airbyte does, then records its failure type and message", async () => {
    const blocked = path.join(t.dir, "a-file");
    await writeFile(blocked, "not a folder");
    const destination = String(
      (
        await call("POST", "destinations", {
          name: "blocked",
          workspaceId,
          configuration: { destinationType: "local-json", destination_path: path.join(blocked, "out") },
        })
      ).body.destinationId,
    );
    const connectionId = String(
      (await call("POST", "connections", { sourceId, destinationId: destination })).body.connectionId,
    );
    const job = await call("POST", "jobs", { connectionId, jobType: "sync" });
    const done = await t.waitForJob(job.body.jobId, (s) => ["succeeded", "failed", "cancelled"].includes(s));
    expect(done.status).toBe("failed");
    const row = await t.server.store.db
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", Number(job.body.jobId))
      .executeTakeFirstOrThrow();
    expect(row.failure_type).toMatch(/_error$/);
    expect(row.failure_message).toBeTruthy();
    const attempts = await call("GET", `jobs/${job.body.jobId}/attempts`);
    // A system error without progress is tried again: five attempts in a row, as Airbyte does.
    expect(row.failure_type).toBe("system_error");
    expect(row.failure_message).toContain("ENOTDIR");
    expect(attempts.body.data?.map((a) => [a.attemptNumber, a.status])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [n, "failed"]),
    );
    expect(attempts.body.data?.[0]?.failure).toMatchObject({
      failureType: row.failure_type,
      message: row.failure_message,
    });
  });

  it("answers 409 to a second trigger while a sync runs, and cancels", async () => {
    const bigSource = String(
      (
        await call("POST", "sources", {
          name: "big",
          workspaceId,
          configuration: { sourceType: "faker", count: 5_000_000 },
        })
      ).body.sourceId,
    );
    const connectionId = String(
      (
        await call("POST", "connections", {
          sourceId: bigSource,
          destinationId,
          configurations: { streams: [{ name: "users", syncMode: "full_refresh_append" }] },
        })
      ).body.connectionId,
    );
    const first = await call("POST", "jobs", { connectionId, jobType: "sync" });
    expect(first.status).toBe(200);
    await t.waitForJob(first.body.jobId, (s) => s === "running");
    const second = await call("POST", "jobs", { connectionId, jobType: "sync" });
    expect(second.status).toBe(409);
    expect(second.body.title).toBe("try-again-later");
    const cancelled = await call("DELETE", `jobs/${first.body.jobId}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect(cancelled.body.lastUpdatedAt).toBeDefined();
    const again = await call("DELETE", `jobs/${first.body.jobId}`);
    expect(again.status).toBe(409);
    expect(again.body.title).toBe("state-conflict");
    const third = await call("POST", "jobs", { connectionId, jobType: "sync" });
    expect(third.status).toBe(200);
    expect((await call("DELETE", `jobs/${third.body.jobId}`)).body.status).toBe("cancelled");
  });

  it("serves an OpenAPI document built from the schemas", async () => {
    const doc = await call("GET", "/api/openapi.json", undefined, null);
    expect(doc.status).toBe(200);
    const paths = doc.body.paths as Record<string, unknown>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(["/sources/{sourceId}", "/jobs/{jobId}", "/connections"]),
    );
  });
});
