// One measurement of the MySQL row pipeline, run in its own process by run-all.ts:
//   node dist/mysql-bench.js setup ROWS     make weir_bench_src.bench_rows (not measured)
//   node dist/mysql-bench.js dump           baseline: mariadb-dump | mariadb into weir_bench_dump
//   node dist/mysql-bench.js read           source-mysql alone, every record drained
//   node dist/mysql-bench.js sync           source-mysql → driver → destination-mysql, in-process
//   node dist/mysql-bench.js teardown       drop the bench databases
// Bytes are the text of every column of the source rows (the same figure for every line), so
// MB/s compare between lines. The server: WEIR_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306).
import { spawn } from "node:child_process";
import { runConnector } from "@weir/cdk";
import { destinationMysql } from "@weir/destination-mysql";
import { openMysqlSession, resolveConnectSettings } from "@weir/mysql-connection";
import { testServerFromEnv } from "@weir/mysql-connection/testing";
import type { ConfiguredAirbyteCatalog } from "@weir/protocol";
import { createInProcessHandle, runSync } from "@weir/runtime";
import { sourceMysql } from "@weir/source-mysql";
import { report } from "./measurement.js";
import { intoDefaultNamespace } from "./namespace-handle.js";

const SOURCE_DB = "weir_bench_src";
const DUMP_DB = "weir_bench_dump";
const WEIR_DB = "weir_bench_weir";
const TABLE = "bench_rows";

const server = testServerFromEnv();
const connection = (database: string) => ({ ...server, database, ssl_mode: { mode: "disabled" } });

async function sql(statements: readonly string[], database = "mysql"): Promise<Record<string, unknown>[]> {
  const settings = resolveConnectSettings(connection(database));
  if (!settings.ok) throw new Error(settings.message);
  const opened = await openMysqlSession(settings.value, { role: "destination" });
  if (!opened.ok) throw opened.error;
  let last: Record<string, unknown>[] = [];
  try {
    for (const statement of statements) last = await opened.session.query(statement);
  } finally {
    await opened.session.close();
  }
  return last;
}

/** The bench table's row count and text size, measured once after setup. */
async function tableSize(): Promise<{ rows: number; bytes: number }> {
  const [row] = await sql(
    [
      `SELECT COUNT(*) AS n, SUM(LENGTH(id) + LENGTH(name) + LENGTH(email) + LENGTH(amount) + LENGTH(created_at) + ` +
        `LENGTH(active) + LENGTH(note) + LENGTH(tags)) AS bytes FROM ${TABLE}`,
    ],
    SOURCE_DB,
  );
  return { rows: Number(row?.n), bytes: Number(row?.bytes) };
}

async function setup(rows: number): Promise<void> {
  await sql([
    `DROP DATABASE IF EXISTS ${SOURCE_DB}`,
    `CREATE DATABASE ${SOURCE_DB} CHARACTER SET utf8mb4`,
    `CREATE TABLE ${SOURCE_DB}.${TABLE} (id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100), ` +
      "amount DECIMAL(12,2), created_at DATETIME(6), active TINYINT(1), note TEXT, tags JSON)",
    // Deterministic rows of about 250 bytes of text, with some of everything.
    `INSERT INTO ${SOURCE_DB}.${TABLE} SELECT seq, CONCAT('user name ', seq), CONCAT('user', seq, '@example.com'), ` +
      "(seq * 37 % 100000) / 100, TIMESTAMP('2024-01-01') + INTERVAL seq SECOND + INTERVAL (seq % 1000) MICROSECOND, " +
      "seq % 2, CONCAT(REPEAT('lorem ipsum ', 10), seq), JSON_ARRAY('tag', seq % 7, seq % 13 = 0) " +
      `FROM seq_1_to_${rows}`,
    `ANALYZE TABLE ${SOURCE_DB}.${TABLE}`,
  ]);
}

const cli = server.password === undefined ? [] : [`--password=${server.password}`];
const clientArgs = [`--host=${server.host}`, `--port=${server.port}`, `--user=${server.username}`, ...cli];

function dump(): Promise<void> {
  // mariadb-dump's defaults (--opt): multi-row INSERTs, keys disabled during the load, one transaction.
  const dumper = spawn("mariadb-dump", [...clientArgs, SOURCE_DB, TABLE], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const loader = spawn("mariadb", [...clientArgs, DUMP_DB], { stdio: ["pipe", "inherit", "inherit"] });
  dumper.stdout.pipe(loader.stdin);
  const exited = (child: ReturnType<typeof spawn>, name: string) =>
    new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}`)),
      );
    });
  return Promise.all([exited(dumper, "mariadb-dump"), exited(loader, "mariadb")]).then(() => undefined);
}

async function fullRefreshCatalog(): Promise<ConfiguredAirbyteCatalog> {
  for await (const batch of runConnector(sourceMysql, {
    command: "discover",
    config: connection(SOURCE_DB),
  })) {
    for (const message of batch) {
      if (message.type !== "CATALOG") continue;
      const stream = message.catalog.streams.find((s) => s.name === TABLE);
      if (stream === undefined) break;
      return { streams: [{ stream, sync_mode: "full_refresh", destination_sync_mode: "overwrite" }] };
    }
  }
  throw new Error(`source-mysql did not discover ${TABLE}; run setup first`);
}

const [mode, rowsArg] = process.argv.slice(2);
if (mode === "setup") {
  await setup(Number(rowsArg ?? 500_000));
} else if (mode === "teardown") {
  await sql([SOURCE_DB, DUMP_DB, WEIR_DB].map((db) => `DROP DATABASE IF EXISTS ${db}`));
} else if (mode === "dump" || mode === "read" || mode === "sync") {
  const size = await tableSize();
  if (mode === "dump") {
    await sql([`DROP DATABASE IF EXISTS ${DUMP_DB}`, `CREATE DATABASE ${DUMP_DB} CHARACTER SET utf8mb4`]);
    const startedAt = process.hrtime.bigint();
    await dump();
    report("mariadb-dump | mariadb", startedAt, size.rows, size.bytes);
  } else if (mode === "read") {
    const catalog = await fullRefreshCatalog();
    const startedAt = process.hrtime.bigint();
    let records = 0;
    for await (const batch of runConnector(sourceMysql, {
      command: "read",
      config: connection(SOURCE_DB),
      catalog,
    })) {
      for (const message of batch) if (message.type === "RECORD") records++;
    }
    report("source-mysql alone", startedAt, records, size.bytes);
  } else {
    await sql([`DROP DATABASE IF EXISTS ${WEIR_DB}`, `CREATE DATABASE ${WEIR_DB} CHARACTER SET utf8mb4`]);
    const catalog = await fullRefreshCatalog();
    const startedAt = process.hrtime.bigint();
    const result = await runSync({
      source: { handle: createInProcessHandle(sourceMysql), config: connection(SOURCE_DB) },
      destination: {
        handle: intoDefaultNamespace(createInProcessHandle(destinationMysql), SOURCE_DB),
        config: connection(WEIR_DB),
      },
      catalog,
    });
    if (result.status !== "succeeded") throw new Error(`sync failed: ${JSON.stringify(result.failure)}`);
    const records = result.streams.reduce((sum, s) => sum + s.recordsCommitted, 0);
    report("mysql → weir → mysql", startedAt, records, size.bytes);
  }
} else {
  throw new Error("usage: mysql-bench.js setup ROWS | dump | read | sync | teardown");
}
