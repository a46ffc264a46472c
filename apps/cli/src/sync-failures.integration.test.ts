// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${API_KEY} is a pipeline file reference, not a template.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  FIXTURES_DIR,
  lastJson,
  removeTempFolders,
  runWeir,
  startWeir,
  tempFolder,
  type WeirRun,
} from "./weir-test-process.js";

afterAll(removeTempFolders);

// Every way a sync can go wrong, run through the real `weir` bin with fixture connectors that
// are real child processes. Each case checks the message, the classified failure, the exit
// code and that the state file never claims more than the destination committed.

const node = process.execPath;
const fixtureSource = path.join(FIXTURES_DIR, "fixture-source.mjs");
const fixtureDestination = path.join(FIXTURES_DIR, "fixture-destination.mjs");

interface PipelineParts {
  source?: Record<string, unknown>;
  destination?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** A pipeline of the two fixtures (YAML is a superset of JSON). */
function fixturePipeline(parts: PipelineParts): string {
  return JSON.stringify({
    source: { command: [node, fixtureSource], config: { mode: "ok", ...parts.source } },
    destination: {
      command: [node, fixtureDestination],
      config: { path: "dest.jsonl", ...parts.destination },
    },
    ...parts.extra,
  });
}

async function syncFixture(parts: PipelineParts, args: string[] = ["--json"]) {
  const dir = await tempFolder({ "p.yaml": fixturePipeline(parts) });
  const run = await runWeir(["sync", "p.yaml", ...args], { cwd: dir });
  return { dir, run };
}

const stateFile = (dir: string) => path.join(dir, ".weir", "p.state.json");

/** The committed cursor, after checking the state file against the destination's rows. */
async function committedCursor(dir: string): Promise<number | undefined> {
  if (!existsSync(stateFile(dir))) return undefined;
  const stored = JSON.parse(await readFile(stateFile(dir), "utf8"));
  expect(stored).toMatchObject({ version: 1, pipeline: path.join(dir, "p.yaml") });
  const cursor: number = stored.state[0].stream.stream_state.cursor;
  const text = existsSync(path.join(dir, "dest.jsonl"))
    ? await readFile(path.join(dir, "dest.jsonl"), "utf8")
    : "";
  const ids = new Set(
    text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l).id as number),
  );
  // Every record up to the committed cursor is in the destination.
  for (let id = 1; id <= cursor; id++)
    expect(ids.has(id), `record ${id} is committed but not in the destination`).toBe(true);
  return cursor;
}

function expectFailure(run: WeirRun, type: string | RegExp, message: string | RegExp) {
  expect(run.code, run.stderr).not.toBe(0);
  const json = lastJson(run);
  expect(json.status).toBe("failed");
  const failure = json.failure as { type: string; message: string; origin: string };
  expect(failure.type).toMatch(type);
  expect(failure.message).toMatch(message);
  // The human line on stderr names the class too.
  expect(run.stderr).toContain(`✗ sync failed (${failure.type}`);
  return failure;
}

describe("weir sync: bad pipelines and configs", () => {
  it("names an unknown connector and what exists", async () => {
    const dir = await tempFolder({
      "p.yaml":
        "source: {connector: fakr, config: {count: 1}}\ndestination: {connector: duckdb, config: {destination_path: x.duckdb}}\n",
    });
    const run = await runWeir(["sync", "p.yaml"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '✗ sync failed (config_error from source): p.yaml: source.connector: unknown connector "fakr" (did you mean "faker"?)',
    );
    expect(existsSync(stateFile(dir))).toBe(false);
  });

  it("names a misspelt key and its path", async () => {
    const dir = await tempFolder({
      "p.yaml": "source:\n  conector: faker\ndestination:\n  connector: duckdb\n",
    });
    const run = await runWeir(["sync", "p.yaml", "--json"], { cwd: dir });
    expectFailure(
      run,
      "config_error",
      'p.yaml: source.conector: unknown key (did you mean "connector"?) (line 2)',
    );
    expect(existsSync(path.join(dir, ".weir"))).toBe(false);
  });

  it("names the config field that fails the spec, and never prints a secret", async () => {
    const dir = await tempFolder({
      "p.yaml": fixturePipeline({ source: { records: "many", api_key: "${API_KEY}" } }),
    });
    const run = await runWeir(["sync", "p.yaml", "--json"], { cwd: dir, env: { API_KEY: "hunter22" } });
    const failure = expectFailure(
      run,
      "config_error",
      /p\.yaml: source\.config\.records: must be integer, got "many"/,
    );
    expect(failure.origin).toBe("source");
    expect(failure.message).toMatch(/source\.config\.api_key: must NOT have fewer than 12 characters/);
    const logs = await readdir(path.join(dir, ".weir", "logs"));
    const logText = await readFile(path.join(dir, ".weir", "logs", logs[0] ?? ""), "utf8");
    for (const text of [run.stdout, run.stderr, logText]) expect(text).not.toContain("hunter22");
  });

  it("lists the source's streams when the pipeline names one it lacks", async () => {
    const { run } = await syncFixture({ extra: { streams: [{ name: "itemz" }] } });
    expectFailure(
      run,
      "config_error",
      'p.yaml: streams[0]: the source has no stream itemz (did you mean "items"?); its streams are: items',
    );
  });

  it("says when a command cannot be started", async () => {
    const dir = await tempFolder({
      "p.yaml": JSON.stringify({
        source: { command: "no-such-program-weir --flag", config: {} },
        destination: { command: [node, fixtureDestination], config: { path: "d.jsonl" } },
      }),
    });
    const run = await runWeir(["sync", "p.yaml", "--json"], { cwd: dir });
    expectFailure(run, /_error$/, /no-such-program-weir/);
  });
});

describe("weir sync: connectors that misbehave", () => {
  it("a source that exits non-zero: failed, state at the last committed checkpoint", async () => {
    const { dir, run } = await syncFixture({ source: { mode: "exit-nonzero" } });
    const failure = expectFailure(
      run,
      "system_error",
      'command "node fixture-source.mjs" exited with code 3: fatal: the upstream API answered 500 three times',
    );
    expect(failure.origin).toBe("source");
    expect(run.stderr).toContain("✗ sync failed (system_error from source): ");
    expect(await committedCursor(dir)).toBe(20);
  });

  it("a source that crashes mid-stream: the crash is named", async () => {
    const { dir, run } = await syncFixture({ source: { mode: "crash" } });
    expectFailure(run, "system_error", /exited with code 1: .*boom: cannot parse page 3/s);
    expect(await committedCursor(dir)).toBe(20);
  });

  it("garbage lines are logged, not fatal", async () => {
    const { dir, run } = await syncFixture({ source: { mode: "garbage" } });
    expect(run.code, run.stderr).toBe(0);
    const json = lastJson(run);
    expect(json.status).toBe("succeeded");
    expect(json.streams).toEqual([
      {
        name: "items",
        namespace: null,
        records_emitted: 30,
        records_committed: 30,
        records_filtered: 0,
        records_invalid: 0,
        bytes_emitted: expect.any(Number),
      },
    ]);
    expect(await committedCursor(dir)).toBe(30);
    const log = await readFile(String(json.log_file), "utf8");
    expect(log).toContain("hello, this line is not JSON");
  });

  it("a destination that never echoes state commits nothing, and says so", async () => {
    const { dir, run } = await syncFixture({ destination: { echo: false } }, []);
    expect(run.stdout).toContain("✓ sync succeeded");
    expect(run.stdout).toContain(": 0 of 30 records committed");
    expect(run.stdout).toContain("note: the destination echoed none of the 3 state(s)");
    const json = lastJson(await runWeir(["sync", "p.yaml", "--json"], { cwd: dir }));
    expect(JSON.stringify(json.notes)).toMatch(/echoed none of the/);
    expect((json.streams as { records_committed: number }[])[0]?.records_committed).toBe(0);
    expect(existsSync(stateFile(dir))).toBe(false);
  });

  it("a source that hangs fails at the heartbeat timeout", async () => {
    const started = Date.now();
    const { dir, run } = await syncFixture({
      source: { mode: "hang" },
      extra: { heartbeat_timeout_seconds: 2 },
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expectFailure(
      run,
      "transient_error",
      'the source (command "node fixture-source.mjs") sent nothing for 2 s',
    );
    expect(await committedCursor(dir)).toBe(20);
  });

  it("a 50 MB line: a record that big passes, a line of garbage that big is logged cut short", async () => {
    const { dir, run } = await syncFixture({ source: { mode: "huge-line", records: 10 } });
    expect(run.code, run.stderr).toBe(0);
    const json = lastJson(run);
    const [items] = json.streams as { records_committed: number; bytes_emitted: number }[];
    expect(items?.records_committed).toBe(11);
    expect(items?.bytes_emitted).toBeGreaterThan(50 * 1024 * 1024);
    expect(await committedCursor(dir)).toBe(10);
    const log = await readFile(String(json.log_file), "utf8");
    expect(log).toContain("garbage garbage");
    expect(log.length).toBeLessThan(1024 * 1024);
  });

  it("Ctrl-C stops the sync, keeps what was committed and exits 130", async () => {
    const dir = await tempFolder({
      "p.yaml": fixturePipeline({ source: { mode: "endless", delay_ms: 2, state_every: 50 } }),
    });
    const weir = startWeir(["sync", "p.yaml"], { cwd: dir });
    const deadline = Date.now() + 20_000;
    while (!existsSync(stateFile(dir)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(stateFile(dir))).toBe(true);
    weir.child.kill("SIGINT");
    const run = await weir.done;
    expect(run.code, run.stderr).toBe(130);
    expect(run.stdout).toMatch(/✗ sync cancelled \(transient_error\): interrupted by SIGINT \(Ctrl-C\)/);
    expect(run.stdout).toMatch(/^items\s/m);
    const cursor = await committedCursor(dir);
    expect(cursor).toBeGreaterThanOrEqual(50);
    // The lock is released: another command can run at once.
    expect(existsSync(path.join(dir, ".weir", "p.lock"))).toBe(false);
  });

  it("a second Ctrl-C exits at once, without waiting for the destination", async () => {
    const dir = await tempFolder({
      "p.yaml": fixturePipeline({
        source: { mode: "endless", delay_ms: 2, state_every: 50 },
        destination: { linger_ms: 30_000 },
      }),
    });
    const weir = startWeir(["sync", "p.yaml"], { cwd: dir });
    const deadline = Date.now() + 20_000;
    while (!existsSync(stateFile(dir)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    weir.child.kill("SIGINT");
    await weir.waitForOutput("press Ctrl-C again to quit at once");
    const second = Date.now();
    weir.child.kill("SIGINT");
    const run = await weir.done;
    expect(Date.now() - second).toBeLessThan(5000);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("✗ sync stopped by SIGINT, at once");
    expect(await committedCursor(dir)).toBeGreaterThanOrEqual(50);
    expect(existsSync(path.join(dir, ".weir", "p.lock"))).toBe(false);
  });
});
