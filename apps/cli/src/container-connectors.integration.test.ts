import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { setUpContainerTests } from "@weir/runtime/testing";
import { afterAll, describe, expect, it } from "vitest";
import { lastJson, removeTempFolders, runWeir, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

// Connector images through the real `weir` bin: `--image` on the connector commands, and
// `image:` in a pipeline. The images are built locally (see @weir/runtime/testing).

const setup = await setUpContainerTests();
const skipReason = setup.ok ? undefined : `no container runtime works here: ${setup.reason}`;
if (skipReason !== undefined) console.warn(`weir container tests skipped: ${skipReason}`);
const images = setup.ok ? setup.images : undefined;
const shell = images?.shell ?? "";

const catalog = {
  streams: [
    {
      stream: { name: "users", json_schema: { type: "object" }, supported_sync_modes: ["incremental"] },
      sync_mode: "incremental",
      destination_sync_mode: "append",
    },
  ],
};

describe.skipIf(!setup.ok)(`weir … --image${skipReason === undefined ? "" : ` (${skipReason})`}`, () => {
  it("spec --image prints exactly what the image prints, with its exit code", async () => {
    const own = await promisify(execFile)(images?.runtime.program ?? "", ["run", "--rm", shell, "spec"]);
    const run = await runWeir(["spec", "--image", shell]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(own.stdout);

    const bare = await runWeir(["spec", "--image", images?.bare ?? ""]);
    const bareOwn = await promisify(execFile)(images?.runtime.program ?? "", [
      "run",
      "--rm",
      "--init",
      images?.bare ?? "",
      "spec",
    ]).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    expect(bare.code).toBe(bareOwn);
    expect(bare.code).not.toBe(0);
  });

  it("read and write --image take the user's files, and write passes stdin through", async () => {
    const dir = await tempFolder({ "c.json": "{}", "cat.json": JSON.stringify(catalog) });
    const read = await runWeir(["read", "--image", shell, "--config", "c.json", "--catalog", "cat.json"], {
      cwd: dir,
    });
    expect(read.code, read.stderr).toBe(0);
    const messages = read.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string });
    expect(messages.filter((m) => m.type === "RECORD")).toHaveLength(10);
    expect(messages.filter((m) => m.type === "STATE")).toHaveLength(2);

    const state = read.stdout.split("\n").find((line) => line.includes('"STATE"')) ?? "";
    const input = `${read.stdout.split("\n").find((line) => line.includes('"RECORD"'))}\n${state}\n`;
    const write = await runWeir(["write", "--image", shell, "--config", "c.json", "--catalog", "cat.json"], {
      cwd: dir,
      input,
    });
    expect(write.code, write.stderr).toBe(0);
    expect(write.stdout.split("\n")[0]).toBe(state);
    expect(write.stdout).toContain("received 1 records");
  });

  it("says which image is missing and which file cannot be read", async () => {
    const absent = await runWeir(["spec", "--image", "weir-test-absent/no-such-image:0.0.0"]);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toMatch(
      /^✗ config_error: image weir-test-absent\/no-such-image:0\.0\.0 is not present locally and could not be pulled/,
    );
    const dir = await tempFolder();
    const noFile = await runWeir(["check", "--image", shell, "--config", "missing.json"], { cwd: dir });
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toBe("✗ config_error: cannot read the config file missing.json: no such file\n");
    const both = await runWeir(["spec", "faker", "--image", shell]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("needs a built-in connector name, --command");
  });
});

describe.skipIf(!setup.ok)(
  `weir sync with image:${skipReason === undefined ? "" : ` (${skipReason})`}`,
  () => {
    it("reads from a source image into a built-in destination, and saves the state", async () => {
      const pipeline = {
        source: { image: shell, env: { RECORDS: 25 }, memory: "128m", cpus: 1, network: "none" },
        destination: { connector: "jsonl", config: { destination_path: "./out" } },
      };
      const dir = await tempFolder({ "p.yaml": JSON.stringify(pipeline) });
      const run = await runWeir(["sync", "p.yaml", "--json"], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      expect(lastJson(run)).toMatchObject({
        status: "succeeded",
        streams: [{ name: "users", records_emitted: 25, records_committed: 25 }],
      });
      const rows = (await readFile(path.join(dir, "out", "users.jsonl"), "utf8")).trimEnd().split("\n");
      expect(
        rows.map((row) => (JSON.parse(row) as { _airbyte_data: { id: number } })._airbyte_data.id),
      ).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      const stored = JSON.parse(await readFile(path.join(dir, ".weir", "p.state.json"), "utf8"));
      expect(stored.state[0].stream.stream_state).toEqual({ cursor: 25 });
    });

    it("runs our own source-faker from an image exactly as the built-in runs it", async () => {
      const rowsOf = async (source: Record<string, unknown>) => {
        const pipeline = {
          source: { ...source, config: { count: 30, seed: 5, always_updated: false } },
          destination: { connector: "jsonl", config: { destination_path: "./out" } },
          streams: [{ name: "users" }, { name: "purchases" }],
        };
        const dir = await tempFolder({ "p.yaml": JSON.stringify(pipeline) });
        const run = await runWeir(["sync", "p.yaml", "--json"], { cwd: dir });
        expect(run.code, run.stderr).toBe(0);
        const data = async (stream: string) =>
          (await readFile(path.join(dir, "out", `${stream}.jsonl`), "utf8"))
            .trimEnd()
            .split("\n")
            .map((row) => (JSON.parse(row) as { _airbyte_data: unknown })._airbyte_data);
        return { json: lastJson(run), users: await data("users"), purchases: await data("purchases") };
      };
      const contained = await rowsOf({ image: images?.sourceFaker ?? "" });
      const builtin = await rowsOf({ connector: "faker" });
      expect(contained.json).toMatchObject({ status: "succeeded" });
      expect(contained.users).toHaveLength(30);
      expect(contained.users).toEqual(builtin.users);
      expect(contained.purchases).toEqual(builtin.purchases);
    });

    it("writes a built-in source into a destination image, committing its echoed states", async () => {
      const pipeline = {
        source: { connector: "faker", config: { count: 20, seed: 1 } },
        destination: { image: shell },
        streams: [{ name: "users" }],
      };
      const dir = await tempFolder({ "p.yaml": JSON.stringify(pipeline) });
      const run = await runWeir(["sync", "p.yaml", "--json"], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      expect(lastJson(run)).toMatchObject({
        status: "succeeded",
        streams: [{ name: "users", records_emitted: 20, records_committed: 20 }],
      });
    });

    it("fails clearly on a source image that prints nothing, or writes only to stderr", async () => {
      for (const [behaviour, message] of [
        ["silent", `image ${shell} answered spec without a SPEC message`],
        [
          "stderr-only",
          `image ${shell} exited with code 1: connector: cannot reach api.example.com\nconnector: giving up`,
        ],
      ]) {
        const pipeline = {
          source: { image: shell, env: { BEHAVIOUR: behaviour } },
          destination: { connector: "jsonl", config: { destination_path: "./out" } },
        };
        const dir = await tempFolder({ "p.yaml": JSON.stringify(pipeline) });
        const run = await runWeir(["sync", "p.yaml", "--json"], { cwd: dir });
        expect(run.code).not.toBe(0);
        expect(lastJson(run)).toMatchObject({
          status: "failed",
          failure: { type: "system_error", origin: "source", message },
        });
      }
    });
  },
);
