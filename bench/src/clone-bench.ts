import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, probePostgres, type TestDatabase } from "@weir/postgres-connection/testing";
import { databaseUrl } from "./postgres-bench-data.js";
import { sampleTreePeak } from "./process-tree-memory.js";

// `weir clone` against pg_dump | pg_restore and pgcopydb clone, Postgres to Postgres on this
// server: a generated shop (users with text, numeric, timestamptz, array and jsonb columns;
// orders referencing them), each tool copying it into an empty database, in turns.

const WEIR_BIN = fileURLToPath(new URL("../../apps/cli/bin/weir.js", import.meta.url));

/** One tool's run: wall time and the peak resident memory of all its processes. */
interface ToolRun {
  readonly name: string;
  readonly seconds: number;
  readonly peakMb: number;
}

/** Creates the shop: `2,000,000 × scale` users and twice as many orders (~1.3 GB at scale 1). */
async function createShop(scale: number): Promise<{ db: TestDatabase; bytes: number; users: number }> {
  const users = Math.round(2_000_000 * scale);
  const db = await createTestDatabase("clonebench");
  await db.query(`
    CREATE TABLE users (
      id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, score numeric(12, 4), balance numeric,
      created_at timestamptz NOT NULL, tags text[], profile jsonb);
    CREATE TABLE orders (
      id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), amount numeric(12, 2) NOT NULL,
      status text NOT NULL, created_at timestamptz NOT NULL, note text);
    CREATE INDEX orders_user_id_idx ON orders (user_id);`);
  await db.query(`
    INSERT INTO users
    SELECT g, 'user ' || g, 'user' || g || '@example.com', (g % 100000) / 7.0, (g * 12345.678901234567)::numeric,
           timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
           ARRAY['tag' || (g % 10), 'tag' || (g % 7)],
           jsonb_build_object('plan', CASE WHEN g % 3 = 0 THEN 'pro' ELSE 'free' END, 'visits', g % 1000, 'tags', ARRAY[g % 5])
      FROM generate_series(1, ${users}) AS g`);
  await db.query(`
    INSERT INTO orders
    SELECT g, (g * 7919) % ${users} + 1, (g % 10000) / 100.0, (ARRAY['new', 'paid', 'shipped', 'cancelled'])[g % 4 + 1],
           timestamptz '2024-01-01 00:00:00+00' + g * interval '7 seconds',
           CASE WHEN g % 5 = 0 THEN NULL ELSE 'note ' || md5(g::text) END
      FROM generate_series(1::bigint, ${users * 2}) AS g`);
  await db.query("VACUUM ANALYZE");
  await db.query("CHECKPOINT");
  const [size] = await db.query<{ bytes: string }>(
    "SELECT pg_database_size(current_database())::text AS bytes",
  );
  return { db, bytes: Number(size?.bytes ?? 0), users };
}

/** Runs a command to its end, sampling the memory of its whole process tree. */
function runMeasured(name: string, program: string, args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(program, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const peak = sampleTreePeak(child.pid ?? 0);
    child.on("error", reject);
    child.on("close", (code) => {
      const peakMb = peak.stop();
      if (code !== 0) {
        reject(new Error(`${name} exited with ${code}: ${stderr}`));
        return;
      }
      resolve({ name, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb });
    });
  });
}

const cloneFile = (source: TestDatabase, target: TestDatabase, masked: boolean) =>
  JSON.stringify({
    source: { connector: "postgres", config: { ...source.config, ssl_mode: { mode: "disable" } } },
    destination: { connector: "postgres", config: { ...target.config, ssl_mode: { mode: "disable" } } },
    ...(masked
      ? {
          masking: {
            users: [
              { type: "hash", field: "email", key: "bench-key" },
              { type: "fake", field: "name", kind: "full_name", key: "bench-key" },
              { type: "shift_date", field: "created_at", max_days: 30, key: "bench-key" },
            ],
          },
        }
      : {}),
  });

type Tool = "weir clone" | "weir clone, 3 masked" | "pgcopydb clone" | "pg_dump | pg_restore";

async function runTool(tool: Tool, source: TestDatabase, folder: string): Promise<ToolRun> {
  const target = await createTestDatabase("clonebenchdst");
  try {
    if (tool === "weir clone" || tool === "weir clone, 3 masked") {
      const file = join(folder, "clone.yaml");
      writeFileSync(file, cloneFile(source, target, tool !== "weir clone"));
      return await runMeasured(tool, process.execPath, [WEIR_BIN, "clone", file, "--json"]);
    }
    if (tool === "pgcopydb clone") {
      const work = join(folder, "pgcopydb");
      rmSync(work, { recursive: true, force: true });
      return await runMeasured(tool, "pgcopydb", [
        "clone",
        "--source",
        databaseUrl(source),
        "--target",
        databaseUrl(target),
        "--dir",
        work,
      ]);
    }
    return await runMeasured(tool, "bash", [
      "-o",
      "pipefail",
      "-c",
      `pg_dump -Fc -d '${databaseUrl(source)}' | pg_restore --no-owner -d '${databaseUrl(target)}'`,
    ]);
  } finally {
    await target.drop();
  }
}

const row = (run: ToolRun, baseline?: ToolRun) =>
  [
    run.name.padEnd(22),
    `${run.seconds.toFixed(1)} s`.padStart(9),
    `${run.peakMb.toFixed(0)} MB peak`.padStart(14),
    baseline === undefined ? "" : `  ${(run.seconds / baseline.seconds).toFixed(2)}× ${baseline.name}'s time`,
  ].join(" ");

/**
 * The clone benchmark: generates the shop at `scale`, copies it with each tool `turns` times
 * (in turns, so a noisy spell hits all), keeps each tool's best, and prints times as ratios to
 * pgcopydb's; then weir's peak memory on half the data, to show it does not grow with it.
 */
export async function benchClone(scale: number, turns: number): Promise<void> {
  const server = await probePostgres();
  if (!server.ok) {
    console.log(`clone: skipped: ${server.reason}\n`);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), "weir-clone-bench-"));
  const generating = process.hrtime.bigint();
  const shop = await createShop(scale);
  const made = Number(process.hrtime.bigint() - generating) / 1e9;
  console.log(
    `clone: ${shop.users.toLocaleString("en-US")} users, ${(shop.users * 2).toLocaleString("en-US")} orders, ` +
      `${(shop.bytes / 1e9).toFixed(2)} GB (generated in ${made.toFixed(0)} s), best of ${turns}`,
  );
  const tools: Tool[] = ["pgcopydb clone", "weir clone", "weir clone, 3 masked", "pg_dump | pg_restore"];
  const best = new Map<Tool, ToolRun>();
  try {
    for (let turn = 0; turn < turns; turn++) {
      for (const tool of tools) {
        const run = await runTool(tool, shop.db, folder);
        const kept = best.get(tool);
        if (kept === undefined || run.seconds < kept.seconds) best.set(tool, run);
      }
    }
  } finally {
    await shop.db.drop();
  }
  const baseline = best.get("pgcopydb clone") as ToolRun;
  for (const tool of tools)
    console.log(row(best.get(tool) as ToolRun, tool === "pgcopydb clone" ? undefined : baseline));
  const weir = best.get("weir clone") as ToolRun;
  const dump = best.get("pg_dump | pg_restore") as ToolRun;
  console.log(`weir clone / pg_dump | pg_restore: ${(weir.seconds / dump.seconds).toFixed(2)}× the time`);

  const half = await createShop(scale / 2);
  try {
    const small = await runTool("weir clone", half.db, folder);
    console.log(
      `weir clone peak memory, half the data: ${small.peakMb.toFixed(0)} MB; full: ${weir.peakMb.toFixed(0)} MB ` +
        `(${(weir.peakMb / small.peakMb).toFixed(2)}× for 2× the data)\n`,
    );
  } finally {
    await half.db.drop();
    rmSync(folder, { recursive: true, force: true });
  }
}
