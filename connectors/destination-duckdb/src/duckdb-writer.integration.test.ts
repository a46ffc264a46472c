import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runConnector } from "@weir/cdk";
import type { AirbyteMessage } from "@weir/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { destinationDuckdb } from "./destination-duckdb.js";
import { DuckdbTestSession, testRecord, testStream } from "./duckdb-test-session.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

let session: DuckdbTestSession;
let child: ChildProcess | undefined;
afterEach(() => {
  if (child !== undefined && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
  session.remove();
});

/** Runs an ES module script in a child node process from the package dir; resolves when it prints `line`. */
function spawnScript(code: string, line: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: packageDir });
  child = proc;
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(line)) resolve(proc);
    });
    proc.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.on("exit", (code) => reject(new Error(`child exited (${code}) before "${line}": ${err}`)));
  });
}

const check = (config: Record<string, unknown>) =>
  destinationDuckdb.check?.({
    config: config as never,
    logger: { log: (level, message) => session.logs.push({ level, message }) },
    signal: new AbortController().signal,
  });

describe("destination-duckdb writer", () => {
  it("quotes any name: streams, namespaces and fields with quotes, spaces, dots, emoji and clashes", async () => {
    session = new DuckdbTestSession();
    const name = `we"ird 'str.eam' 🎉`;
    const namespace = `na"me space`;
    const properties = {
      'a"b': { type: "string" },
      "it's": { type: "integer" },
      "with space.dot": { type: "boolean" },
      ünïcødé: { type: "string" },
      ID: { type: "integer" },
      id: { type: "integer" },
      "": { type: "string" },
      _airbyte_raw_id: { type: "string" },
      constructor: { type: "string" },
      __proto__x: { type: "string" },
    };
    const data = {
      'a"b': "quote",
      "it's": 1,
      "with space.dot": true,
      ünïcødé: "ü",
      ID: 2,
      id: 3,
      "": "empty",
      _airbyte_raw_id: "mine",
    };
    const writer = await session.open([testStream(name, properties, { namespace })]);
    await writer.write([testRecord(name, data, { namespace })]);
    await writer.close({ ok: true, completeStreams: new Set() });
    const [row] = await session.query(
      `SELECT * EXCLUDE (_airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta, _airbyte_generation_id) FROM "na""me space"."we""ird 'str.eam' 🎉"`,
    );
    expect(row).toEqual({
      'a"b': "quote",
      "it's": "1",
      "with space.dot": true,
      ünïcødé: "ü",
      ID: "2",
      id_2: "3",
      _: "empty",
      _airbyte_raw_id_2: "mine",
      constructor: null,
      __proto__x: null,
    });
  });

  it("adds columns for new fields and casts values into an existing column's type", async () => {
    session = new DuckdbTestSession();
    await session.run(
      [testStream("users", { id: { type: "integer" }, age: { type: "integer" } })],
      [[testRecord("users", { id: 1, age: 30 })]],
    );
    const evolved = testStream("users", {
      id: { type: "integer" },
      age: { type: "string" },
      email: { type: "string" },
      Joined: { type: "string", format: "date" },
    });
    await session.run(
      [evolved],
      [
        [
          testRecord("users", { id: 2, age: "31", email: "a@b.c", Joined: "2024-01-02" }),
          testRecord("users", { id: 3, age: "old" }),
        ],
      ],
    );
    const columns = await session.query(
      "SELECT column_name AS c, data_type AS t FROM duckdb_columns() WHERE table_name = 'users' AND column_index > 4",
    );
    expect(columns.map((c) => `${c.c} ${c.t}`)).toEqual([
      "id BIGINT",
      "age BIGINT",
      "email VARCHAR",
      "Joined DATE",
    ]);
    const rows = await session.query(
      "SELECT id, age, email, Joined::VARCHAR AS j, _airbyte_meta FROM users ORDER BY id",
    );
    expect(rows.map(({ _airbyte_meta, ...rest }) => rest)).toEqual([
      { id: "1", age: "30", email: null, j: null },
      { id: "2", age: "31", email: "a@b.c", j: "2024-01-02" },
      { id: "3", age: null, email: null, j: null },
    ]);
    expect(JSON.parse(String(rows[2]?._airbyte_meta)).changes).toEqual([
      { field: "age", change: "NULLED", reason: "DESTINATION_SERIALIZATION_ERROR" },
    ]);
    expect(session.logs.some((l) => l.message.includes('Added columns "email", "Joined"'))).toBe(true);
  });

  it("makes rows visible to another connection after flush, before close", async () => {
    session = new DuckdbTestSession();
    const writer = await session.open([testStream("users", { id: { type: "integer" } })]);
    await writer.write([testRecord("users", { id: 1 }), testRecord("users", { id: 2 })]);
    expect(await session.query("SELECT count(*)::INT AS n FROM users")).toEqual([{ n: 0 }]);
    await writer.flush();
    expect(await session.query("SELECT count(*)::INT AS n FROM users")).toEqual([{ n: 2 }]);
    await writer.close({ ok: true, completeStreams: new Set() });
  });

  it("keeps flushed rows when the process is killed right after flush", async () => {
    session = new DuckdbTestSession();
    const script = `
      import { openDuckdbWriter } from "./dist/index.js";
      const stream = { stream: { name: "users", json_schema: { properties: { id: { type: "integer" } } }, supported_sync_modes: ["full_refresh"] }, sync_mode: "full_refresh", destination_sync_mode: "append" };
      const writer = await openDuckdbWriter({ config: { destination_path: ${JSON.stringify(session.path)} }, catalog: { streams: [stream] }, logger: { log() {} }, signal: new AbortController().signal });
      await writer.write(Array.from({ length: 5000 }, (_, id) => ({ stream: "users", data: { id }, emitted_at: 1 })));
      await writer.flush();
      await writer.write([{ stream: "users", data: { id: -1 }, emitted_at: 1 }]);
      console.log("flushed");
      setInterval(() => {}, 1000);
    `;
    const proc = await spawnScript(script, "flushed");
    proc.kill("SIGKILL");
    await new Promise((resolve) => proc.once("exit", resolve));
    expect(await session.query("SELECT count(*)::INT AS n, min(id)::INT AS lo FROM users")).toEqual([
      { n: 5000, lo: 0 },
    ]);
  });

  it("cancels: an aborted run leaves an overwritten table as it was", async () => {
    session = new DuckdbTestSession();
    const stream = testStream("users", { id: { type: "integer" } }, { mode: "overwrite" });
    await session.run([stream], [[testRecord("users", { id: 1 })]]);
    const controller = new AbortController();
    const writer = await session.open([stream], { signal: controller.signal });
    await writer.write([testRecord("users", { id: 2 })]);
    await writer.flush();
    controller.abort();
    await writer.close({ ok: false, completeStreams: new Set(["users"]) });
    expect(await session.query("SELECT id::INT AS id FROM users")).toEqual([{ id: 1 }]);
  });

  it("check creates the file and its directories, and leaves no probe table", async () => {
    session = new DuckdbTestSession();
    const path = join(session.dir, "new", "dir", "x.duckdb");
    expect(await check({ destination_path: path, schema: "probe_schema" })).toEqual({ ok: true });
    expect(await session.tables(path)).toEqual([]);
  });

  it("check fails clearly for a directory that cannot be created, MotherDuck, and a non-DuckDB file", async () => {
    session = new DuckdbTestSession();
    const file = join(session.dir, "plain-file");
    writeFileSync(file, "not a database");
    expect(await check({ destination_path: join(file, "x.duckdb") })).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^Cannot create the directory .*plain-file for destination_path \(a file is in the way\)/,
      ),
    });
    expect(await check({ destination_path: "md:my_db" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/MotherDuck/),
    });
    expect(await check({ destination_path: file })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a DuckDB database/),
    });
  });

  it("check and write report a file locked by another process", async () => {
    session = new DuckdbTestSession();
    const script = `
      import { DuckDBInstance } from "@duckdb/node-api";
      const db = await DuckDBInstance.create(${JSON.stringify(session.path)});
      await (await db.connect()).run("CREATE TABLE held (x INT)");
      console.log("holding");
      setInterval(() => {}, 1000);
    `;
    const proc = await spawnScript(script, "holding");
    const result = await check({ ...session.config });
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining(`is locked by another process (PID ${proc.pid})`),
    });
    await expect(session.open([testStream("users", { id: { type: "integer" } })])).rejects.toMatchObject({
      failureType: "transient_error",
    });
  });

  it("warns that a MotherDuck key is ignored, without printing it", async () => {
    session = new DuckdbTestSession();
    expect(await check({ ...session.config, motherduck_api_key: "sekrit-token" })).toEqual({ ok: true });
    const warning = session.logs.find((l) => l.level === "WARN");
    expect(warning?.message).toMatch(/motherduck_api_key is set but ignored/);
    expect(JSON.stringify(session.logs)).not.toContain("sekrit-token");
  });

  it("runs through the CDK: states echo after their records are durable, overwrites after the swap", async () => {
    session = new DuckdbTestSession();
    const catalog = {
      streams: [
        testStream("events", { id: { type: "integer" } }),
        testStream("users", { id: { type: "integer" } }, { mode: "overwrite" }),
      ],
    };
    const state = (name: string, n: number): AirbyteMessage => ({
      type: "STATE",
      state: { type: "STREAM", stream: { stream_descriptor: { name }, stream_state: { n } } },
    });
    const record = (stream: string, id: number): AirbyteMessage => ({
      type: "RECORD",
      record: testRecord(stream, { id }),
    });
    const complete = (name: string): AirbyteMessage => ({
      type: "TRACE",
      trace: {
        type: "STREAM_STATUS",
        emitted_at: 1,
        stream_status: { stream_descriptor: { name }, status: "COMPLETE" },
      },
    });
    const seen: string[] = [];
    async function* input(): AsyncGenerator<AirbyteMessage[]> {
      yield [record("events", 1), record("users", 1), state("events", 1), state("users", 1)];
      seen.push(`events visible: ${(await session.query("SELECT count(*)::INT AS n FROM events"))[0]?.n}`);
      yield [record("events", 2), state("events", 2), complete("events"), complete("users")];
    }
    const out: AirbyteMessage[] = [];
    // Interval 0: each input batch's states are flushed and echoed before the next batch is read.
    for await (const batch of runConnector(
      destinationDuckdb,
      { command: "write", config: session.config, catalog, input: input() },
      { flushIntervalMs: 0 },
    )) {
      out.push(...batch);
      for (const message of batch) {
        if (message.type === "STATE")
          seen.push(
            `state ${message.state.stream?.stream_descriptor.name} ${JSON.stringify(message.state.stream?.stream_state)}`,
          );
      }
    }
    expect(out.filter((m) => m.type === "TRACE" && m.trace.type === "ERROR")).toEqual([]);
    expect(seen).toEqual([
      'state events {"n":1}',
      "events visible: 1",
      'state events {"n":2}',
      'state users {"n":1}',
    ]);
    expect(
      await session.query(
        "SELECT (SELECT count(*) FROM events)::INT AS e, (SELECT count(*) FROM users)::INT AS u",
      ),
    ).toEqual([{ e: 2, u: 1 }]);
  });
});
