// One measurement of the Postgres row pipeline, run in its own process by run-all.ts:
//   node dist/postgres-bench.js baseline|sync|source SOURCE_URL TARGET_URL ROWS BYTES
//   baseline: psql "\copy (SELECT * FROM users) TO STDOUT" | psql "\copy baseline.users FROM STDIN"
//   sync:     source-postgres → driver → destination-postgres, in-process (overwrite)
//   source:   source-postgres alone, every record drained and dropped
import { spawn } from "node:child_process";
import { runConnector } from "@weir/cdk";
import { destinationPostgres } from "@weir/destination-postgres";
import type { ConfiguredAirbyteCatalog } from "@weir/protocol";
import { createInProcessHandle, runSync } from "@weir/runtime";
import { sourcePostgres } from "@weir/source-postgres";
import pg from "pg";
import { report } from "./measurement.js";

const [mode, sourceUrl, targetUrl, rowsArg, bytesArg] = process.argv.slice(2);
if (
  (mode !== "baseline" && mode !== "sync" && mode !== "source") ||
  sourceUrl === undefined ||
  targetUrl === undefined
) {
  throw new Error("usage: postgres-bench.js baseline|sync|source SOURCE_URL TARGET_URL ROWS BYTES");
}
const rows = Number(rowsArg);
const bytes = Number(bytesArg);

const configOf = (url: string) => {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)),
    username: decodeURIComponent(u.username),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ssl_mode: { mode: "disable" },
  };
};

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function shell(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-o", "pipefail", "-c", command], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

if (mode === "baseline") {
  await sql(targetUrl, "TRUNCATE baseline.users");
  const startedAt = process.hrtime.bigint();
  await shell(
    `psql -X -q ${quote(sourceUrl)} -c '\\copy (SELECT * FROM users) TO STDOUT' | psql -X -q ${quote(targetUrl)} -c '\\copy baseline.users FROM STDIN'`,
  );
  report("psql | psql (baseline)", startedAt, rows, bytes);
} else {
  const source = configOf(sourceUrl);
  const target = { ...configOf(targetUrl), schema: "public" };
  let catalog: ConfiguredAirbyteCatalog | undefined;
  for await (const batch of runConnector(sourcePostgres, { command: "discover", config: source })) {
    for (const message of batch) {
      if (message.type !== "CATALOG") continue;
      const users = message.catalog.streams.filter((s) => s.name === "users");
      catalog = {
        streams: users.map((stream) => ({
          stream,
          sync_mode: "full_refresh" as const,
          destination_sync_mode: "overwrite" as const,
        })),
      };
    }
  }
  if (catalog === undefined || catalog.streams.length !== 1) throw new Error("no users stream discovered");
  const startedAt = process.hrtime.bigint();
  if (mode === "source") {
    let records = 0;
    for await (const batch of runConnector(sourcePostgres, { command: "read", config: source, catalog })) {
      for (const message of batch) if (message.type === "RECORD") records++;
    }
    report("source-postgres alone", startedAt, records, bytes);
    process.exit(0);
  }
  const result = await runSync({
    source: { handle: createInProcessHandle(sourcePostgres), config: source },
    destination: { handle: createInProcessHandle(destinationPostgres), config: target },
    catalog,
  });
  if (result.status !== "succeeded") throw new Error(`sync failed: ${JSON.stringify(result.failure)}`);
  const committed = result.streams.reduce((sum, s) => sum + s.recordsCommitted, 0);
  report("weir sync pg → pg", startedAt, committed, bytes);
}
