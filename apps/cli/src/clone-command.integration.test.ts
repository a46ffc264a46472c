import { createTestDatabase, probePostgres, type TestDatabase } from "@weir/postgres-connection/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastJson, removeTempFolders, runWeir, tempFolder } from "./weir-test-process.js";

const server = await probePostgres();

const cloneFile = (source: TestDatabase, target: TestDatabase, extra = "") => `
source:
  connector: postgres
  config:
    host: ${source.config.host}
    port: ${source.config.port}
    database: ${source.name}
    username: ${source.config.username}
    password: "\${SOURCE_PASSWORD:-}"
    ssl_mode: { mode: disable }
destination:
  connector: postgres
  config: { host: ${target.config.host}, port: ${target.config.port}, database: ${target.name}, username: ${target.config.username}, ssl_mode: { mode: disable } }
masking:
  users:
    - { type: hash, field: email, key: "\${WEIR_HASH_KEY}" }
${extra}`;

describe.skipIf(!server.ok)("weir clone", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    [source, target] = await Promise.all([
      createTestDatabase("cliclonesrc"),
      createTestDatabase("cliclonedst"),
    ]);
    await source.query(`
      CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);
      CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id));
      INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 50) g;
      INSERT INTO orders SELECT g, g % 50 + 1 FROM generate_series(1, 120) g;
      ANALYZE;`);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop(), removeTempFolders()]);
  });
  const env = { WEIR_HASH_KEY: "a-key-for-tests-only" };

  it("--dry-run prints the plan and copies nothing", async () => {
    const dir = await tempFolder({ "clone.yaml": cloneFile(source, target) });
    const run = await runWeir(["clone", "clone.yaml", "--dry-run"], { cwd: dir, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("public.users");
    expect(run.stdout).toMatch(/public\.users\s+~?50 .*email \(hash\)/);
    expect(run.stdout).toContain("dry run: nothing was copied");
    expect(await target.query("SELECT to_regclass('public.users') AS t")).toEqual([{ t: null }]);
  });

  it("copies, prints a summary, and with --json one object; exit 0", async () => {
    const dir = await tempFolder({ "clone.yaml": cloneFile(source, target) });
    const run = await runWeir(["clone", "clone.yaml"], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/public\.users\s+50 /);
    expect(run.stdout).toMatch(/✓ clone succeeded in .*: 2 tables, 170 rows/);
    expect(
      await target.query("SELECT count(*)::int AS n FROM users WHERE email LIKE '%@example.com'"),
    ).toEqual([{ n: 0 }]);
    const json = await runWeir(["clone", "clone.yaml", "--json"], { cwd: dir, env });
    expect(json.code).toBe(1);
    expect(lastJson(json)).toMatchObject({
      status: "failed",
      failure: {
        type: "config_error",
        origin: "destination",
        message: expect.stringContaining("already has"),
      },
    });
    const again = await tempFolder({ "clone.yaml": cloneFile(source, target, "on_existing: drop") });
    const replaced = await runWeir(["clone", "clone.yaml", "--json"], { cwd: again, env });
    expect(replaced.code).toBe(0);
    expect(lastJson(replaced)).toMatchObject({ status: "succeeded", totals: { tables: 2, rows: 170 } });
  });

  it("a clone file with a misspelt key, or an unset variable, is a config error naming it; secrets stay hidden", async () => {
    const dir = await tempFolder({
      "typo.yaml": cloneFile(source, target, "paralel: 2"),
      "wrong.yaml": cloneFile(source, target).replace(
        `username: ${source.config.username}`,
        "username: nobody_weir",
      ),
    });
    const typo = await runWeir(["clone", "typo.yaml"], { cwd: dir, env });
    expect(typo.code).toBe(1);
    expect(typo.stdout).toContain('paralel: unknown key (did you mean "parallel"?)');
    const unset = await runWeir(["clone", "typo.yaml"], { cwd: dir, env: { WEIR_HASH_KEY: "" } });
    expect(unset.stdout).toContain("masking.users[0].key");
    const wrong = await runWeir(["clone", "wrong.yaml", "--json"], {
      cwd: dir,
      env: { ...env, SOURCE_PASSWORD: "hunter2-secret" },
    });
    expect(lastJson(wrong)).toMatchObject({
      status: "failed",
      failure: { type: "config_error", origin: "source" },
    });
    expect(wrong.stdout + wrong.stderr).not.toContain("hunter2-secret");
  });
});
