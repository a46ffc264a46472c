// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${WEIR_HASH_KEY} is a pipeline file reference, not a template.
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lastJson, removeTempFolders, runWeir, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

// Mappers in a real `weir sync`: faker → jsonl with users rewritten on the way.

const KEY = "a-long-hash-key-for-tests";

function pipeline(mappers: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    source: { connector: "faker", config: { count: 50, seed: 7 } },
    destination: { connector: "jsonl", config: { destination_path: "out" } },
    streams: [
      { name: "users", sync_mode: "full_refresh", destination_sync_mode: "overwrite", mappers, ...extra },
    ],
  });
}

const readRows = async (dir: string) =>
  (await readFile(path.join(dir, "out", "users.jsonl"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { _airbyte_data: Record<string, unknown> });

describe("weir sync with mappers", () => {
  it("hashes, fakes, masks, drops and filters users, and reports what it filtered", async () => {
    const mappers = [
      { type: "filter", where: "age >= 30" },
      { type: "hash", field: "email", key: "${WEIR_HASH_KEY}" },
      { type: "fake", field: "name", kind: "full_name", key: "${WEIR_HASH_KEY}" },
      { type: "mask", field: "telephone", keep_last: 4, with: "*" },
      { type: "drop", field: "blood_type" },
    ];
    const plain = await tempFolder({ "p.yaml": pipeline([]) });
    const masked = await tempFolder({ "p.yaml": pipeline(mappers) });
    const env = { WEIR_HASH_KEY: KEY };
    expect((await runWeir(["sync", "p.yaml", "--json"], { cwd: plain, env })).code).toBe(0);
    const run = await runWeir(["sync", "p.yaml", "--json", "--verbose"], { cwd: masked, env });
    expect(run.code, run.stderr).toBe(0);
    const originals = new Map((await readRows(plain)).map((r) => [r._airbyte_data.id, r._airbyte_data]));
    const rows = await readRows(masked);
    const kept = [...originals.values()].filter((u) => (u.age as number) >= 30);
    expect(rows.length).toBe(kept.length);
    expect(rows.length).toBeGreaterThan(0);
    for (const { _airbyte_data: user } of rows) {
      const original = originals.get(user.id) as Record<string, unknown>;
      expect(user.email).toBe(createHmac("sha256", KEY).update(String(original.email)).digest("hex"));
      expect(user.name).not.toBe(original.name);
      expect(user.name).toMatch(/^\S+ \S+/);
      expect(String(user.telephone).slice(-4)).toBe(String(original.telephone).slice(-4));
      expect(String(user.telephone)).toMatch(/^\*+/);
      expect(user).not.toHaveProperty("blood_type");
    }
    const json = lastJson(run) as {
      streams: { name: string; records_filtered: number; records_emitted: number }[];
    };
    const users = json.streams.find((s) => s.name === "users");
    expect(users).toMatchObject({ records_emitted: 50, records_filtered: 50 - kept.length });
    // The key never reaches the terminal or the log.
    expect(run.stderr + run.stdout).not.toContain(KEY);
  });

  it("stops before any data moves on a mapper that cannot work, naming the stream and the cause", async () => {
    const cases: [unknown[], RegExp][] = [
      [[{ type: "hash", field: "no_such_field", key: "k" }], /streams\[0\].*no_such_field/],
      [[{ type: "scramble", field: "email" }], /unknown mapper type "scramble"/],
      [[{ type: "filter", where: "age >== 3" }], /streams\[0\].*filter/],
      [[{ type: "hash", field: "email" }], /key/],
    ];
    for (const [mappers, message] of cases) {
      const dir = await tempFolder({ "p.yaml": pipeline(mappers) });
      const run = await runWeir(["sync", "p.yaml", "--json"], { cwd: dir });
      expect(run.code, run.stderr).toBe(1);
      const failure = (lastJson(run) as { failure: { type: string; message: string } }).failure;
      expect(failure.type).toBe("config_error");
      expect(failure.message).toMatch(message);
    }
  });
});
