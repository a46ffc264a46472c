import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { AirbyteMessage } from "@weir/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purchaseCountUpTo } from "./fake-record-factory.js";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../bin/weir-source-faker.js", import.meta.url));

// Runs the built bin (`npx tsc -b` first) as Airbyte would: a real child process over stdio.
describe("weir-source-faker bin", () => {
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL("../dist/main.js", import.meta.url)))) {
      throw new Error("connectors/source-faker/dist is missing: run `npx tsc -b` before the tests");
    }
    dir = await mkdtemp(join(tmpdir(), "weir-source-faker-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const lines = (stdout: string): AirbyteMessage[] =>
    stdout
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as AirbyteMessage);

  it("prints its spec", async () => {
    const { stdout } = await run(process.execPath, [BIN, "spec"]);
    const [message] = lines(stdout);
    expect(message?.type).toBe("SPEC");
  });

  it("reads every stream to stdout with states, and exits 0", async () => {
    const config = join(dir, "config.json");
    const catalog = join(dir, "catalog.json");
    await writeFile(config, JSON.stringify({ count: 500, seed: 11, always_updated: false }));
    await writeFile(
      catalog,
      JSON.stringify({
        streams: ["users", "products", "purchases"].map((name) => ({
          stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh", "incremental"] },
          sync_mode: "incremental",
          destination_sync_mode: "append",
        })),
      }),
    );
    const { stdout } = await run(process.execPath, [BIN, "read", "--config", config, "--catalog", catalog], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const messages = lines(stdout);
    const counts: Record<string, number> = {};
    for (const m of messages)
      if (m.type === "RECORD") counts[m.record.stream] = (counts[m.record.stream] ?? 0) + 1;
    expect(counts).toEqual({ users: 500, products: 100, purchases: purchaseCountUpTo(500) });
    const finalStates = messages
      .flatMap((m) => (m.type === "STATE" ? [m.state.stream?.stream_state] : []))
      .slice(-1);
    expect(finalStates).toEqual([{ updated_at: expect.stringMatching(/T/), user_id: 500, seed: 11 }]);
    expect(messages.some((m) => m.type === "TRACE" && m.trace.type === "ERROR")).toBe(false);
  });
});
