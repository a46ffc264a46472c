import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createTestDatabase, probePostgres, type TestDatabase } from "@weir/postgres-connection/testing";
import type { AirbyteMessage } from "@weir/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../bin/weir-source-postgres.js", import.meta.url));
const DEST_BIN = fileURLToPath(
  new URL("../../destination-postgres/bin/weir-destination-postgres.js", import.meta.url),
);
const server = await probePostgres();

const lines = (stdout: string): AirbyteMessage[] =>
  stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as AirbyteMessage);

// The built bins (`npx tsc -b` first) as Airbyte runs them: real child processes over stdio,
// the source's output piped into the destination's input.
describe.skipIf(!server.ok)("weir-source-postgres and weir-destination-postgres bins", () => {
  let dir: string;
  let db: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL("../dist/main.js", import.meta.url)))) {
      throw new Error("connectors/source-postgres/dist is missing: run `npx tsc -b` before the tests");
    }
    dir = await mkdtemp(join(tmpdir(), "weir-source-postgres-"));
    db = await createTestDatabase("srcbin");
    target = await createTestDatabase("srcbindst");
    await db.query(`
      CREATE TABLE prices (id int PRIMARY KEY, amount numeric, note text);
      INSERT INTO prices VALUES (1, 12345678901234567890.123456789, E'tab\\there'), (2, 'NaN', NULL);
    `);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
    await target?.drop();
  });

  it("reads exact numerics as JSON lines, and the destination bin writes them back exactly", async () => {
    const source = join(dir, "source.json");
    const destination = join(dir, "destination.json");
    const catalog = join(dir, "catalog.json");
    const secret = "not-a-real-password-42";
    await writeFile(
      source,
      JSON.stringify({ ...db.config, password: secret, ssl_mode: { mode: "disable" } }),
    );
    await writeFile(
      destination,
      JSON.stringify({ ...target.config, schema: "public", ssl_mode: { mode: "disable" } }),
    );
    const discovered = lines((await run(process.execPath, [BIN, "discover", "--config", source])).stdout);
    const stream = discovered.find((m) => m.type === "CATALOG")?.catalog.streams[0];
    await writeFile(
      catalog,
      JSON.stringify({
        streams: [
          { stream, sync_mode: "full_refresh", destination_sync_mode: "overwrite", primary_key: [["id"]] },
        ],
      }),
    );
    const read = await run(process.execPath, [BIN, "read", "--config", source, "--catalog", catalog]);
    expect(read.stdout).toContain('"amount":"12345678901234567890.123456789"');
    expect(read.stdout).not.toContain(secret);
    const records = lines(read.stdout).flatMap((m) => (m.type === "RECORD" ? [m.record.data] : []));
    expect(records).toEqual([
      { id: 1, amount: "12345678901234567890.123456789", note: "tab\there" },
      { id: 2, amount: "NaN", note: null },
    ]);

    const write = execFile(process.execPath, [
      DEST_BIN,
      "write",
      "--config",
      destination,
      "--catalog",
      catalog,
    ]);
    let output = "";
    write.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => write.on("exit", resolve));
    write.stdin?.end(read.stdout);
    expect(await exited).toBe(0);
    expect(lines(output).filter((m) => m.type === "STATE")).toHaveLength(1);
    const copied = await target.query(`SELECT id, amount::text AS amount, note FROM prices ORDER BY id`);
    expect(copied).toEqual([
      { id: "1", amount: "12345678901234567890.123456789", note: "tab\there" },
      { id: "2", amount: "NaN", note: null },
    ]);
  });

  it("check with a role that does not exist prints CONNECTION_STATUS FAILED and exits 0", async () => {
    const config = join(dir, "bad.json");
    await writeFile(
      config,
      JSON.stringify({ ...db.config, username: "weir_no_such_role", password: "hunter2-secret" }),
    );
    const { stdout } = await run(process.execPath, [BIN, "check", "--config", config]);
    const status = lines(stdout).find((m) => m.type === "CONNECTION_STATUS");
    expect(status?.connectionStatus.status).toBe("FAILED");
    expect(status?.connectionStatus.message).toMatch(/weir_no_such_role/);
    expect(stdout).not.toContain("hunter2-secret");
  });
});
