import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { listBuiltins } from "@weir/builtins";
import { AirbyteMessage, SpecEnvelope } from "@weir/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES_DIR, removeTempFolders, runWeir, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

// `weir spec|check|discover|read|write` must be indistinguishable from the connector's own bin.

const require = createRequire(import.meta.url);
// The package exports only its entry point (dist/index.js); its bin sits beside dist/.
const fakerBin = path.resolve(
  path.dirname(require.resolve("@weir/source-faker")),
  "..",
  "bin",
  "weir-source-faker.js",
);

const parseLines = (stdout: string) =>
  stdout
    .trimEnd()
    .split("\n")
    .map((line) => AirbyteMessage.parse(JSON.parse(line)));

/** Messages with their clock readings zeroed, to compare two runs. */
const withoutClock = (stdout: string) =>
  stdout.replace(/"emitted_at":\d+/g, '"emitted_at":0').replace(/"updated_at":"[^"]*"/g, '"updated_at":""');

describe("weir connectors", () => {
  it("lists the built-ins with kind and version", async () => {
    const run = await runWeir(["connectors"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^name\s+full name\s+kind\s+version$/m);
    expect(run.stdout).toMatch(/^faker\s+source-faker\s+source\s+\d+\.\d+\.\d+/m);
    expect(run.stdout).toMatch(/^duckdb\s+destination-duckdb\s+destination\s+\d+\.\d+\.\d+/m);
    const json = JSON.parse((await runWeir(["connectors", "--json"])).stdout);
    expect(json).toContainEqual({ name: "source-jsonl", kind: "source", version: expect.any(String) });
    // Exactly the registry: every built-in, each once.
    expect(json.map((c: { name: string }) => c.name)).toEqual(listBuiltins().map((c) => c.name));
  });
});

describe("weir spec|check|discover|read|write", () => {
  it("spec faker prints one valid SPEC message, the same as the connector's bin", async () => {
    const run = await runWeir(["spec", "faker"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const spec = SpecEnvelope.parse(JSON.parse(lines[0] ?? ""));
    expect(spec.spec.connectionSpecification).toMatchObject({ required: ["count"] });
    const own = spawnSync(process.execPath, [fakerBin, "spec"], { encoding: "utf8" });
    expect(run.stdout).toBe(own.stdout);
  });

  it("read faker gives the connector's own messages, and check/discover work", async () => {
    const dir = await tempFolder({ "c.json": JSON.stringify({ count: 3, seed: 1 }) });
    const check = await runWeir(["check", "faker", "--config", "c.json"], { cwd: dir });
    expect(parseLines(check.stdout)).toContainEqual({
      type: "CONNECTION_STATUS",
      connectionStatus: { status: "SUCCEEDED" },
    });
    const discover = await runWeir(["discover", "faker", "--config", "c.json"], { cwd: dir });
    const catalog = parseLines(discover.stdout).find((m) => m.type === "CATALOG");
    expect(catalog?.type === "CATALOG" && catalog.catalog.streams.map((s) => s.name)).toEqual([
      "users",
      "products",
      "purchases",
    ]);
    const users = catalog?.type === "CATALOG" ? catalog.catalog.streams[0] : undefined;
    await writeFile(
      path.join(dir, "cat.json"),
      JSON.stringify({
        streams: [{ stream: users, sync_mode: "incremental", destination_sync_mode: "append" }],
      }),
    );
    const read = await runWeir(["read", "faker", "--config", "c.json", "--catalog", "cat.json"], {
      cwd: dir,
    });
    expect(read.code, read.stderr).toBe(0);
    const messages = parseLines(read.stdout);
    expect(messages.filter((m) => m.type === "RECORD")).toHaveLength(3);
    expect(messages.some((m) => m.type === "STATE")).toBe(true);
    const own = spawnSync(
      process.execPath,
      [fakerBin, "read", "--config", "c.json", "--catalog", "cat.json"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    expect(withoutClock(read.stdout)).toBe(withoutClock(own.stdout));
  });

  it("a bad config gives the connector's TRACE ERROR and exit 1; a missing file too", async () => {
    const dir = await tempFolder({
      "c.json": JSON.stringify({ count: "many" }),
      "cat.json": '{"streams":[]}',
    });
    const run = await runWeir(["read", "faker", "--config", "c.json", "--catalog", "cat.json"], { cwd: dir });
    expect(run.code).toBe(1);
    const error = parseLines(run.stdout).find((m) => m.type === "TRACE");
    expect(error?.type === "TRACE" && error.trace.error).toMatchObject({
      failure_type: "config_error",
      message: expect.stringContaining('count: must be integer, got "many"'),
    });
    const missing = await runWeir(["check", "faker", "--config", "nope.json"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("Could not read the --config file nope.json (ENOENT)");
  });

  it("write duckdb reads messages on stdin and echoes the committed state", async () => {
    const dir = await tempFolder({
      "c.json": JSON.stringify({ destination_path: "out.duckdb" }),
      "cat.json": JSON.stringify({
        streams: [
          {
            stream: {
              name: "t",
              json_schema: { type: "object", properties: { id: { type: "integer" } } },
              supported_sync_modes: ["full_refresh"],
            },
            sync_mode: "full_refresh",
            destination_sync_mode: "append",
          },
        ],
      }),
    });
    const state = {
      type: "STATE",
      state: { type: "STREAM", stream: { stream_descriptor: { name: "t" }, stream_state: { n: 2 } } },
    };
    const input = [
      { type: "RECORD", record: { stream: "t", data: { id: 1 }, emitted_at: 1 } },
      { type: "RECORD", record: { stream: "t", data: { id: 2 }, emitted_at: 1 } },
      state,
    ]
      .map((m) => JSON.stringify(m))
      .join("\n");
    const run = await runWeir(["write", "duckdb", "--config", "c.json", "--catalog", "cat.json"], {
      cwd: dir,
      input,
    });
    expect(run.code, run.stderr).toBe(0);
    const echoed = parseLines(run.stdout).filter((m) => m.type === "STATE");
    expect(echoed).toHaveLength(1);
    expect(echoed[0]).toMatchObject(state);
  });

  it("--command passes a local program through untouched, exit code included", async () => {
    const source = path.join(FIXTURES_DIR, "fixture-source.mjs");
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(source)}`;
    const spec = await runWeir(["spec", "--command", command]);
    expect(spec.code).toBe(0);
    const own = spawnSync(process.execPath, [source, "spec"], { encoding: "utf8" });
    expect(spec.stdout).toBe(own.stdout);
    const dir = await tempFolder({
      "c.json": JSON.stringify({ mode: "exit-nonzero", records: 5, fail_after: 2 }),
    });
    const catalog = JSON.parse(
      (await runWeir(["discover", "--command", command, "--config", "c.json"], { cwd: dir })).stdout,
    );
    await writeFile(
      path.join(dir, "cat.json"),
      JSON.stringify({ streams: catalog.catalog.streams.map((s: unknown) => ({ stream: s })) }),
    );
    const read = await runWeir(
      ["read", "--command", command, "--config", "c.json", "--catalog", "cat.json"],
      { cwd: dir },
    );
    expect(read.code).toBe(3);
    expect(read.stdout.trimEnd().split("\n")).toHaveLength(2);
    expect(read.stderr).toContain("fatal: the upstream API answered 500");
    expect(await readFile(path.join(dir, "c.json"), "utf8")).toContain("exit-nonzero");
  });

  it("refuses an unknown name, an ambiguous one, and a missing target", async () => {
    const unknown = await runWeir(["spec", "fakr"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown connector "fakr" (did you mean "faker"?)');
    const ambiguous = await runWeir(["spec", "jsonl"]);
    expect(ambiguous.stderr).toContain("jsonl names two built-ins: source-jsonl and destination-jsonl");
    const none = await runWeir(["spec"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'spec needs a built-in connector name, --command "<program>" or --image <image>',
    );
    const usage = await runWeir(["check", "faker"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("check needs --config <file>");
  });
});
