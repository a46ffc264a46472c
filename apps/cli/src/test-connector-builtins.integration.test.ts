import path from "node:path";
import { findBuiltin, listBuiltins } from "@weir/builtins";
import { runInProcess } from "@weir/cdk/testing";
import { createTestDatabase, probeTestServer } from "@weir/mysql-connection/testing";
import {
  createTestDatabase as createPostgresDatabase,
  probePostgres,
} from "@weir/postgres-connection/testing";
import { afterAll, describe, expect, it } from "vitest";
import {
  FIXTURES_DIR,
  lastJson,
  removeTempFolders,
  runWeir,
  tempFolder,
  WEIR_BIN,
} from "./weir-test-process.js";

// `weir test-connector` against every built-in connector, as CI runs it: a built-in that is
// added without acceptance inputs here fails this test.

const REPO = path.resolve(path.dirname(WEIR_BIN), "..", "..", "..");
const EXAMPLES = path.join(REPO, "examples", "acceptance");
const example = (file: string) => path.join(EXAMPLES, file);

/**
 * The arguments each built-in is tested with (destinations write into a fresh folder, the cwd),
 * and the checks it may skip, each for a reason: no expected records given, no secret in the
 * config, a cursor that lives only in the state, a sync mode the destination does not offer.
 */
const INPUTS: Record<string, { args: string[]; writes: boolean; skips: string[] }> = {
  "source-faker": {
    args: ["--config", example("faker.json"), "--expected-records", example("faker-expected-records.jsonl")],
    writes: false,
    skips: ["protocol.secrets_hidden"],
  },
  "source-jsonl": {
    args: ["--config", example("source-jsonl.json")],
    writes: false,
    skips: ["read.expected_records", "incremental.future_state", "protocol.secrets_hidden"],
  },
  "destination-jsonl": {
    args: [
      "--config",
      example("destination-jsonl.json"),
      "--read-back",
      "source-jsonl",
      "--read-back-config",
      example("destination-jsonl-read-back.json"),
    ],
    writes: true,
    skips: ["write.append_dedup.states", "write.append_dedup.data", "protocol.secrets_hidden"],
  },
  "destination-duckdb": {
    args: [
      "--config",
      example("destination-duckdb.json"),
      "--read-back-command",
      `node ${path.join(FIXTURES_DIR, "duckdb-read-back-source.mjs")}`,
      "--read-back-config",
      example("destination-duckdb-read-back.json"),
    ],
    writes: true,
    skips: [],
  },
};

// The MySQL built-ins need a server (WEIR_TEST_MYSQL_URL; skipped, saying why, without one):
// a database to read with a table whose cursor the catalog names, and one to write into and
// read back from with source-mysql.
const mysqlServer = await probeTestServer();
const mysqlSource = mysqlServer.ok ? await createTestDatabase("acc_src") : undefined;
const mysqlTarget = mysqlServer.ok ? await createTestDatabase("acc_dst") : undefined;
afterAll(async () => {
  await mysqlSource?.drop();
  await mysqlTarget?.drop();
});
if (mysqlSource !== undefined && mysqlTarget !== undefined) {
  await mysqlSource.sql("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), updated_at DATETIME(6))");
  await mysqlSource.sql(
    "INSERT INTO users VALUES (1, 'Ada', '2024-01-01 00:00:00'), (2, 'Bo', '2024-01-02 00:00:00'), (3, 'Cy', '2024-01-02 00:00:00')",
  );
  const source = findBuiltin("source-mysql", "source");
  const discovered =
    source && (await runInProcess(source, { command: "discover", config: mysqlSource.config }));
  const streams = (discovered?.catalog?.streams ?? []).map((stream) => ({
    stream,
    sync_mode: "incremental",
    destination_sync_mode: "append",
    cursor_field: ["updated_at"],
  }));
  const dir = await tempFolder({
    "source.json": JSON.stringify(mysqlSource.config),
    "catalog.json": JSON.stringify({ streams }),
    "target.json": JSON.stringify(mysqlTarget.config),
  });
  INPUTS["source-mysql"] = {
    args: ["--config", path.join(dir, "source.json"), "--catalog", path.join(dir, "catalog.json")],
    writes: false,
    skips: ["read.expected_records", "incremental.future_state", "protocol.secrets_hidden"],
  };
  const target = path.join(dir, "target.json");
  INPUTS["destination-mysql"] = {
    args: ["--config", target, "--read-back", "source-mysql", "--read-back-config", target],
    writes: true,
    skips: ["protocol.secrets_hidden"],
  };
}

// The Postgres built-ins likewise (WEIR_TEST_POSTGRES_URL): a table to read incrementally, and
// a database to write into and read back from with source-postgres.
const postgresServer = await probePostgres();
const postgresSource = postgresServer.ok ? await createPostgresDatabase("accsrc") : undefined;
const postgresTarget = postgresServer.ok ? await createPostgresDatabase("accdst") : undefined;
afterAll(async () => {
  await postgresSource?.drop();
  await postgresTarget?.drop();
});
if (postgresSource !== undefined && postgresTarget !== undefined) {
  await postgresSource.query(
    "CREATE TABLE users (id int PRIMARY KEY, name text, updated_at timestamptz); " +
      "INSERT INTO users VALUES (1, 'Ada', '2024-01-01'), (2, 'Bo', '2024-01-02'), (3, 'Cy', '2024-01-02')",
  );
  const sourceConfig = { ...postgresSource.config, ssl_mode: { mode: "disable" } };
  const targetConfig = { ...postgresTarget.config, schema: "public", ssl_mode: { mode: "disable" } };
  const source = findBuiltin("source-postgres", "source");
  const discovered = source && (await runInProcess(source, { command: "discover", config: sourceConfig }));
  const streams = (discovered?.catalog?.streams ?? []).map((stream) => ({
    stream,
    sync_mode: "incremental",
    destination_sync_mode: "append",
    cursor_field: ["updated_at"],
  }));
  const dir = await tempFolder({
    "source.json": JSON.stringify(sourceConfig),
    "catalog.json": JSON.stringify({ streams }),
    "target.json": JSON.stringify(targetConfig),
  });
  INPUTS["source-postgres"] = {
    args: ["--config", path.join(dir, "source.json"), "--catalog", path.join(dir, "catalog.json")],
    writes: false,
    skips: ["read.expected_records", "incremental.future_state", "protocol.secrets_hidden"],
  };
  const target = path.join(dir, "target.json");
  INPUTS["destination-postgres"] = {
    args: ["--config", target, "--read-back", "source-postgres", "--read-back-config", target],
    writes: true,
    skips: ["protocol.secrets_hidden"],
  };
}

interface JsonCheck {
  id: string;
  status: string;
  reason?: string;
}

afterAll(removeTempFolders);

describe("weir test-connector on every built-in", () => {
  for (const { name, kind } of listBuiltins()) {
    it(`${name} passes every check`, async (ctx) => {
      if (name.endsWith("-mysql") && !mysqlServer.ok) ctx.skip(`no MySQL server: ${mysqlServer.reason}`);
      if (name.endsWith("-postgres") && !postgresServer.ok) ctx.skip(postgresServer.reason);
      const inputs = INPUTS[name];
      expect(inputs, `no acceptance inputs for ${name}: add them to INPUTS`).toBeDefined();
      if (inputs === undefined) return;
      const cwd = inputs.writes ? await tempFolder() : REPO;
      const run = await runWeir(["test-connector", name, ...inputs.args, "--json"], { cwd });
      const report = lastJson(run);
      const checks = report.checks as JsonCheck[];
      expect(checks.filter((c) => c.status === "failed")).toEqual([]);
      expect(run.code).toBe(0);
      expect(report).toMatchObject({ status: "passed", connector: `built-in ${name}`, kind });
      const skipped = checks.filter((c) => c.status === "skipped").map((c) => c.id);
      expect(skipped).toEqual(inputs.skips);
      expect(checks.length).toBeGreaterThan(15);
    });
  }
});
