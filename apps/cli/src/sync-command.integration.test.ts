import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastJson, removeTempFolders, runWeir, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

// The quickstart as a user runs it, through the real bin: twice, grown, fully refreshed and
// reset, checking the summary, the state file and the rows in the DuckDB file each time.

const QUICKSTART = fileURLToPath(new URL("../../../examples/quickstart.yaml", import.meta.url));

async function countRows(file: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(file);
  try {
    const connection = await instance.connect();
    try {
      const counts: Record<string, number> = {};
      for (const table of ["users", "products", "purchases"]) {
        const reader = await connection.runAndReadAll(
          `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM main.${table}`,
        );
        const [row] = reader.getRowObjectsJson() as { n: string | number; ids: string | number }[];
        counts[table] = Number(row?.n);
        expect(Number(row?.ids), `${table} has one row per id`).toBe(Number(row?.n));
      }
      return counts;
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

type StreamJson = {
  name: string;
  namespace: null;
  records_emitted: number;
  records_committed: number;
  bytes_emitted: number;
};
const byName = (json: Record<string, unknown>) =>
  Object.fromEntries((json.streams as StreamJson[]).map((s) => [s.name, s]));

describe("weir sync examples/quickstart.yaml", () => {
  let root: string;
  let pipeline: string;
  let database: string;
  let stateFile: string;
  let firstPurchases = 0;

  beforeAll(async () => {
    root = await tempFolder();
    await mkdir(path.join(root, "examples"));
    pipeline = path.join(root, "examples", "quickstart.yaml");
    await copyFile(QUICKSTART, pipeline);
    database = path.join(root, "examples", "quickstart.duckdb");
    stateFile = path.join(root, "examples", ".weir", "quickstart.state.json");
  });

  it("first run: moves every record, beside the pipeline file, and prints the documented JSON", async () => {
    const run = await runWeir(["sync", "examples/quickstart.yaml", "--json"], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    // --json: stdout is exactly one JSON object.
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    const json = lastJson(run);
    expect(Object.keys(json)).toEqual([
      "status",
      "duration_ms",
      "streams",
      "notes",
      "state_file",
      "log_file",
    ]);
    expect(json).toMatchObject({
      status: "succeeded",
      duration_ms: expect.any(Number),
      state_file: path.join(root, "examples", ".weir", "quickstart.state.json"),
    });
    const streams = byName(json);
    expect(Object.keys(streams).sort()).toEqual(["products", "purchases", "users"]);
    expect(streams.users).toMatchObject({ namespace: null, records_emitted: 1000, records_committed: 1000 });
    expect(streams.products).toMatchObject({ records_emitted: 100, records_committed: 100 });
    firstPurchases = streams.purchases?.records_committed ?? 0;
    expect(firstPurchases).toBeGreaterThan(900);
    for (const s of Object.values(streams)) expect(s.bytes_emitted).toBeGreaterThan(s.records_emitted * 20);

    expect(existsSync(database)).toBe(true);
    expect(existsSync(path.join(root, "quickstart.duckdb"))).toBe(false);
    expect(await countRows(database)).toEqual({ users: 1000, products: 100, purchases: firstPurchases });
    const stored = JSON.parse(await readFile(stateFile, "utf8"));
    expect(stored).toMatchObject({ version: 1, pipeline, updated_at: expect.any(String) });
    expect(
      stored.state
        .map((s: { stream: { stream_descriptor: { name: string } } }) => s.stream.stream_descriptor.name)
        .sort(),
    ).toEqual(["products", "purchases", "users"]);
    expect(json.log_file).toMatch(/\/examples\/\.weir\/logs\/quickstart-\d{8}T\d{6}Z\.log$/);
    expect(existsSync(String(json.log_file))).toBe(true);
  });

  it("second run: nothing changed, nothing moves; the summary says so", async () => {
    const before = await readFile(stateFile, "utf8");
    const run = await runWeir(["sync", "examples/quickstart.yaml"], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    const table = run.stdout.split("\n");
    expect(table[0]).toMatch(/^stream\s+emitted\s+committed\s+bytes\s+status$/);
    expect(run.stdout).toMatch(/^users\s+0\s+0\s+0 B\s+complete$/m);
    expect(run.stdout).toMatch(/^total\s+0\s+0\s+0 B$/m);
    expect(run.stdout).toMatch(/✓ sync succeeded in [\d.]+ s: 0 records committed/);
    expect(run.stdout).toContain(`state: ${path.join("examples", ".weir", "quickstart.state.json")}`);
    expect(run.stdout).toMatch(/log: {3}examples\/\.weir\/logs\/quickstart-\d{8}T\d{6}Z\.log/);
    // Not a terminal and not --verbose: nothing on stderr while running.
    expect(run.stderr).toBe("");
    expect(await countRows(database)).toEqual({ users: 1000, products: 100, purchases: firstPurchases });
    const after = JSON.parse(await readFile(stateFile, "utf8"));
    expect(after.state).toEqual(JSON.parse(before).state);
  });

  it("grown source: only the new users and their purchases move", async () => {
    const run = await runWeir(["sync", "examples/quickstart.yaml", "--json"], {
      cwd: root,
      env: { FAKER_COUNT: "1200" },
    });
    expect(run.code, run.stderr).toBe(0);
    const streams = byName(lastJson(run));
    expect(streams.users).toMatchObject({ records_emitted: 200, records_committed: 200 });
    expect(streams.products).toMatchObject({ records_emitted: 0 });
    const newPurchases = streams.purchases?.records_committed ?? 0;
    expect(newPurchases).toBeGreaterThan(150);
    expect(newPurchases).toBeLessThan(250);
    expect(await countRows(database)).toEqual({
      users: 1200,
      products: 100,
      purchases: firstPurchases + newPurchases,
    });
  });

  it("state show, reset of one stream, and --full-refresh", async () => {
    const show = await runWeir(["state", "show", "examples/quickstart.yaml"], { cwd: root });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^state of examples\/quickstart\.yaml, committed \d{4}-/);
    expect(show.stdout).toMatch(/^users\s+stream\s+\{.*"updated_at"/m);
    const raw = await runWeir(["state", "show", "examples/quickstart.yaml", "--json"], { cwd: root });
    expect(JSON.parse(raw.stdout)).toEqual(JSON.parse(await readFile(stateFile, "utf8")));

    const reset = await runWeir(["state", "reset", "examples/quickstart.yaml", "--stream", "users"], {
      cwd: root,
    });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain("reset stream users of examples/quickstart.yaml");
    const names = JSON.parse(await readFile(stateFile, "utf8")).state.map(
      (s: { stream: { stream_descriptor: { name: string } } }) => s.stream.stream_descriptor.name,
    );
    expect(names.sort()).toEqual(["products", "purchases"]);

    // users starts over (deduped in DuckDB), the others continue from their state.
    const again = await runWeir(["sync", "examples/quickstart.yaml", "--json"], {
      cwd: root,
      env: { FAKER_COUNT: "1200" },
    });
    expect(again.code, again.stderr).toBe(0);
    expect(byName(lastJson(again)).users).toMatchObject({ records_emitted: 1200, records_committed: 1200 });
    expect(byName(lastJson(again)).purchases).toMatchObject({ records_emitted: 0 });
    const counts = await countRows(database);
    expect(counts.users).toBe(1200);

    const full = await runWeir(["sync", "examples/quickstart.yaml", "--json", "--full-refresh"], {
      cwd: root,
      env: { FAKER_COUNT: "1200" },
    });
    expect(full.code, full.stderr).toBe(0);
    const streams = byName(lastJson(full));
    expect(streams.users).toMatchObject({ records_emitted: 1200, records_committed: 1200 });
    expect(streams.products).toMatchObject({ records_emitted: 100, records_committed: 100 });
    expect(await countRows(database)).toEqual(counts);
  });

  it("state reset without --stream forgets everything", async () => {
    const reset = await runWeir(["state", "reset", "examples/quickstart.yaml"], { cwd: root });
    expect(reset.code).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
    const show = await runWeir(["state", "show", "examples/quickstart.yaml"], { cwd: root });
    expect(show.stdout).toContain("no state yet for examples/quickstart.yaml");
  });
});
