import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { streamStateMessage } from "@weir/protocol";
import { afterAll, describe, expect, it } from "vitest";
import {
  createStateWriter,
  defaultStateDir,
  deleteStateFile,
  readStateFile,
  stateFilePath,
  writeStateFile,
} from "./state-store.js";
import { removeTempFolders, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

const tempDir = () => tempFolder();

describe("state files", () => {
  it("are named for the pipeline and kept beside it by default", () => {
    expect(defaultStateDir("/p/examples/quickstart.yaml")).toBe("/p/examples/.weir");
    expect(stateFilePath("/p/examples/.weir", "/p/examples/quickstart.yaml")).toBe(
      "/p/examples/.weir/quickstart.state.json",
    );
  });

  it("round-trip, written whole with no temp file left behind", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "nested", "p.state.json");
    expect(await readStateFile(file)).toEqual({ ok: true, value: undefined });
    const state = [streamStateMessage({ name: "users" }, { updated_at: "2024-01-01" }).state];
    await writeStateFile(file, { pipeline: "/p/p.yaml", state });
    const read = await readStateFile(file);
    expect(read.ok && read.value).toMatchObject({ version: 1, pipeline: "/p/p.yaml", state });
    expect(read.ok && Date.parse(read.value?.updated_at ?? "")).toBeGreaterThan(0);
    expect(await readdir(path.dirname(file))).toEqual(["p.state.json"]);
    expect(await deleteStateFile(file)).toBe(true);
    expect(await deleteStateFile(file)).toBe(false);
  });

  it("are written in commit order by a state writer", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "p.state.json");
    const writer = createStateWriter(file, "/p/p.yaml");
    const writes = Array.from({ length: 20 }, (_, i) =>
      writer.write([streamStateMessage({ name: "users" }, { n: i }).state]),
    );
    await Promise.all(writes);
    const stored = JSON.parse(await readFile(file, "utf8"));
    expect(stored.state[0].stream.stream_state).toEqual({ n: 19 });
  });

  it("report a damaged file instead of starting over", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "p.state.json");
    await writeFile(file, "{ not json");
    const broken = await readStateFile(file);
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.failure).toMatchObject({
      type: "system_error",
      message: /is damaged: not valid JSON/,
    });
    await writeFile(file, JSON.stringify({ version: 2, pipeline: "x", state: [], updated_at: "" }));
    const newer = await readStateFile(file);
    expect(!newer.ok && newer.failure.message).toMatch(/version 2 is not supported/);
    await writeFile(file, JSON.stringify({ version: 1, pipeline: "x", state: {}, updated_at: "" }));
    const wrong = await readStateFile(file);
    expect(!wrong.ok && wrong.failure.message).toMatch(/unexpected content at state/);
  });
});
