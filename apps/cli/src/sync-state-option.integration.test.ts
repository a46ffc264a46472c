import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES_DIR, lastJson, removeTempFolders, runWeir, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

// `weir sync --state FILE`: start from a state someone else stored (Airbyte, for one).

const node = process.execPath;
const pipeline = JSON.stringify({
  source: {
    command: [node, path.join(FIXTURES_DIR, "fixture-source.mjs")],
    config: { mode: "ok", records: 30 },
  },
  destination: {
    command: [node, path.join(FIXTURES_DIR, "fixture-destination.mjs")],
    config: { path: "dest.jsonl" },
  },
});
// As Airbyte stores a connection's state: an array of per-stream states, here with a big number.
const airbyteState =
  '[{"type":"STREAM","stream":{"stream_descriptor":{"name":"items"},"stream_state":{"cursor":25,"token":99999999999999999}}}]';

describe("weir sync --state", () => {
  it("hands the file to the source and goes on from there; the saved state moves on", async () => {
    const dir = await tempFolder({ "p.yaml": pipeline, "airbyte.json": airbyteState });
    const run = await runWeir(["sync", "p.yaml", "--state", "airbyte.json", "--json"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    // The fixture reads 30 records after the cursor it is given: 26 to 55.
    const json = lastJson(run) as { streams: { records_committed: number }[] };
    expect(json.streams[0]?.records_committed).toBe(30);
    const ids = (await readFile(path.join(dir, "dest.jsonl"), "utf8")).split("\n").filter(Boolean);
    expect(JSON.parse(ids[0] as string)).toMatchObject({ id: 26 });
    const saved = JSON.parse(await readFile(path.join(dir, ".weir", "p.state.json"), "utf8"));
    expect(saved.state).toEqual([
      { type: "STREAM", stream: { stream_descriptor: { name: "items" }, stream_state: { cursor: 55 } } },
    ]);
  });

  it("refuses a file that is not a state, and --full-refresh beside it, naming the cause", async () => {
    const dir = await tempFolder({ "p.yaml": pipeline, "bad.json": '"just a string"' });
    await writeFile(path.join(dir, "broken.json"), "[{");
    for (const [args, message] of [
      [["--state", "bad.json"], /--state .*bad\.json: not an Airbyte state/],
      [["--state", "broken.json"], /--state .*broken\.json: not valid JSON/],
      [["--state", "missing.json"], /--state .*missing\.json: no such file/],
      [["--state", "bad.json", "--full-refresh"], /--state and --full-refresh exclude each other/],
    ] as const) {
      const run = await runWeir(["sync", "p.yaml", ...args, "--json"], { cwd: dir });
      expect(run.code).toBe(1);
      const failure = (lastJson(run) as { failure: { type: string; message: string } }).failure;
      expect(failure.type).toBe("config_error");
      expect(failure.message).toMatch(message);
    }
  });
});
