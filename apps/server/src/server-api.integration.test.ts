import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestServer, TEST_API_BASE as BASE, startApiTestServer } from "./api-test-server.js";

const SECRET = "motherduck-secret-7f3a9c1e55";

let t: ApiTestServer;
const call: ApiTestServer["call"] = (...args) => t.call(...args);

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  t = await startApiTestServer();
});

afterAll(async () => {
  await t?.close();
});

describe("auth", () => {
  it("answers health without a token and 401 without or with a wrong token", async () => {
    const health = await t.server.app.request(`${BASE}/health`);
    expect(health.status).toBe(200);
    expect((await call("GET", "workspaces", undefined, null)).status).toBe(401);
    const wrong = await call("GET", "workspaces", undefined, "weir_wrong");
    expect(wrong.status).toBe(401);
    expect(wrong.body.title).toBe("invalid-api-key");
    expect((await call("GET", "/v1/workspaces")).status).toBe(200);
  });

  it("writes the initial token with mode 0600", async () => {
    const file = path.join(t.dir, "data", "initial-token");
    expect((await readFile(file, "utf8")).trim()).toBe(t.token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe("workspaces", () => {
  it("creates, pages, patches and deletes", async () => {
    const a = await call("POST", "workspaces", { name: "a", dataResidency: "auto" });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ name: "a", dataResidency: "auto", notifications: {} });
    await call("POST", "workspaces", { name: "b" });
    const page = await call("GET", "workspaces?limit=1&offset=1");
    expect(page.body.data).toHaveLength(1);
    expect(page.body.next).toContain("offset=2");
    expect(page.body.previous).toContain("offset=0");
    const id = String(a.body.workspaceId);
    expect((await call("PATCH", `workspaces/${id}`, { name: "a2" })).body.name).toBe("a2");
    const deleted = await call("DELETE", `workspaces/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    const gone = await call("GET", `workspaces/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.data).toEqual({ resourceType: "workspace", resourceId: id });
  });

  it("answers 400 naming the field, for bad JSON and bad queries", async () => {
    const missing = await call("POST", "workspaces", { nam: "x" });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.data)).toContain("name");
    expect((await call("POST", "workspaces", "{not json")).status).toBe(400);
    const limit = await call("GET", "workspaces?limit=500");
    expect(limit.status).toBe(400);
    expect(JSON.stringify(limit.body.data)).toContain("limit");
  });
});

describe("sources and destinations", () => {
  let workspaceId: string;

  beforeAll(async () => {
    workspaceId = String((await call("POST", "workspaces", { name: "actors" })).body.workspaceId);
  });

  it("creates by short name or definition id and validates the config (422 naming the field)", async () => {
    const byName = await call("POST", "sources", {
      name: "fake",
      workspaceId,
      configuration: { sourceType: "faker", count: 10 },
    });
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({
      sourceType: "faker",
      definitionId: "dfd88b22-b603-4c3d-aad7-3701784586b1",
      configuration: { count: 10 },
    });
    expect(typeof byName.body.createdAt).toBe("number");
    const bad = await call("POST", "sources", {
      name: "bad",
      workspaceId,
      definitionId: "dfd88b22-b603-4c3d-aad7-3701784586b1",
      configuration: { count: "many" },
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.data)).toContain("count");
    const unknown = await call("POST", "sources", {
      name: "x",
      workspaceId,
      configuration: { sourceType: "nope" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.title).toBe("value-not-found");
    const neither = await call("POST", "sources", { name: "x", workspaceId, configuration: { count: 1 } });
    expect(neither.status).toBe(422);
    const noWorkspace = await call("POST", "sources", {
      name: "x",
      workspaceId: "00000000-0000-0000-0000-000000000000",
      configuration: { sourceType: "faker", count: 1 },
    });
    expect(noWorkspace.status).toBe(404);
    expect((await call("GET", "sources/00000000-0000-0000-0000-000000000000")).status).toBe(404);
  });

  it("lists the built-ins as Airbyte definitions, with Airbyte's registry ids", async () => {
    const all = await call("GET", `connector_definitions?type=destination&workspaceId=${workspaceId}`);
    expect(all.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "94bd199c-2ff0-4aa2-b98e-17f0acb72610",
          connectorDefinitionType: "destination",
        }),
      ]),
    );
    const sources = await call("GET", `workspaces/${workspaceId}/definitions/sources`);
    expect(sources.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "dfd88b22-b603-4c3d-aad7-3701784586b1",
          dockerRepository: "airbyte/source-faker",
        }),
      ]),
    );
    const one = await call(
      "GET",
      `workspaces/${workspaceId}/definitions/sources/dfd88b22-b603-4c3d-aad7-3701784586b1`,
    );
    expect(one.status).toBe(200);
    expect(
      (
        await call(
          "GET",
          `workspaces/${workspaceId}/definitions/sources/94bd199c-2ff0-4aa2-b98e-17f0acb72610`,
        )
      ).status,
    ).toBe(404);
    expect((await call("GET", "connector_definitions?type=other")).status).toBe(400);
  });

  it("masks secrets in every answer, keeps them when the mask comes back, never stores them in plain text", async () => {
    const created = await call("POST", "destinations", {
      name: "duck",
      workspaceId,
      configuration: {
        destinationType: "duckdb",
        destination_path: path.join(t.dir, "never-written.duckdb"),
        motherduck_api_key: SECRET,
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.configuration).toMatchObject({ motherduck_api_key: "**********" });
    const id = String(created.body.destinationId);
    const patched = await call("PATCH", `destinations/${id}`, { configuration: { schema: "other" } });
    expect(patched.body.configuration).toMatchObject({ schema: "other", motherduck_api_key: "**********" });
    const put = await call("PUT", `destinations/${id}`, {
      name: "duck2",
      configuration: { destination_path: path.join(t.dir, "x.duckdb"), motherduck_api_key: "**********" },
    });
    expect(put.status).toBe(200);
    expect(put.body.configuration).not.toHaveProperty("schema");
    const answers = [
      created,
      patched,
      put,
      await call("GET", `destinations/${id}`),
      await call("GET", "destinations"),
    ];
    for (const answer of answers) expect(answer.text).not.toContain(SECRET);
    // The kept secret is still the original one: the store decrypts it for syncs.
    const row = await t.server.store.db
      .selectFrom("destinations")
      .select("config")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const { openConfig, createSecretBox, loadSecretKey } = await import("@weir/platform");
    const box = createSecretBox(await loadSecretKey(path.join(t.dir, "data"), {}));
    expect(openConfig(row.config, box).motherduck_api_key).toBe(SECRET);
    expect(JSON.stringify(row.config)).not.toContain(SECRET);
    // PGlite writes its pages under the data dir: none may hold the secret.
    await sql`checkpoint`.execute(t.server.store.db);
    const files = await filesUnder(path.join(t.dir, "data"));
    const holding = async (text: string) =>
      (
        await Promise.all(files.map(async (f) => ((await readFile(f)).includes(text) ? f : undefined)))
      ).filter(Boolean);
    // The scan does see plain text (the path is stored as is), so it would see the secret too.
    expect(await holding(path.join(t.dir, "x.duckdb"))).not.toEqual([]);
    expect(await holding(SECRET)).toEqual([]);
    expect((await call("DELETE", `destinations/${id}`)).status).toBe(204);
    expect((await call("GET", `destinations/${id}`)).status).toBe(404);
  });
});
