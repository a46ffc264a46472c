import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AirbyteMessage, createProtocolValidator, parseLine } from "@weir/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The bins are the compiled fixtures: `npx tsc -b` builds them before the tests run.
const dist = fileURLToPath(new URL("../dist/test-fixtures/", import.meta.url));
const sourceBin = join(dist, "fixture-source.js");
const destinationBin = join(dist, "fixture-destination.js");

const validateMessage = createProtocolValidator();

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  messages: AirbyteMessage[];
  stderr: string;
}

function finish(child: ChildProcess): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const lines = stdout.split("\n").filter((l) => l !== "");
      const messages = lines.map((line) => {
        const parsed = parseLine(line);
        if (parsed.kind !== "message") throw new Error(`not a protocol line on stdout: ${line}`);
        const problems = validateMessage(parsed.message);
        if (problems.length > 0)
          throw new Error(`against the protocol schema: ${problems.join("; ")} in ${line}`);
        return parsed.message;
      });
      resolve({ code, signal, lines, messages, stderr });
    });
  });
}

const run = (bin: string, args: string[], stdin?: string) => {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.end(stdin ?? "");
  return finish(child);
};

const catalog = {
  streams: [
    {
      stream: { name: "numbers", json_schema: {}, supported_sync_modes: ["full_refresh", "incremental"] },
      sync_mode: "incremental",
      destination_sync_mode: "append",
    },
  ],
};

let dir: string;
const file = async (name: string, content: unknown) => {
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};

beforeAll(async () => {
  if (!existsSync(sourceBin)) throw new Error(`${sourceBin} is missing: run \`npx tsc -b\` first`);
  dir = await mkdtemp(join(tmpdir(), "weir-cdk-entrypoint-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("runEntrypoint as a real process", () => {
  it("check: SUCCEEDED and FAILED both exit 0; an invalid config names the field", async () => {
    const ok = await run(sourceBin, ["check", "--config", await file("ok.json", { count: 1 })]);
    expect([ok.code, ok.messages]).toEqual([
      0,
      [{ type: "CONNECTION_STATUS", connectionStatus: { status: "SUCCEEDED" } }],
    ]);
    const refused = await run(sourceBin, [
      "check",
      "--config",
      await file("no.json", { count: 1, password: "wrong" }),
    ]);
    expect(refused.code).toBe(0);
    expect(refused.messages).toEqual([
      { type: "CONNECTION_STATUS", connectionStatus: { status: "FAILED", message: "Authentication failed" } },
    ]);
    const invalid = await run(sourceBin, ["check", `--config=${await file("bad.json", { count: "foo" })}`]);
    expect(invalid.code).toBe(0);
    expect(invalid.messages[0]).toMatchObject({
      connectionStatus: {
        status: "FAILED",
        message: 'The config is invalid: count: must be integer, got "foo"',
      },
    });
  });

  it("read: JSON lines on stdout with checkpoints, statuses, and exit 0", async () => {
    const config = await file("read.json", { count: 45, chunk: 10 });
    const state = await file("state.json", { numbers: { cursor: 5 } });
    const result = await run(sourceBin, [
      "read",
      "--config",
      config,
      "--catalog",
      await file("cat.json", catalog),
      "--state",
      state,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const records = result.messages.filter((m) => m.type === "RECORD");
    expect(records).toHaveLength(40);
    expect(records[0]).toMatchObject({ type: "RECORD", record: { stream: "numbers", data: { n: 6 } } });
    const states = result.messages.flatMap((m) => (m.type === "STATE" ? [m.state.stream?.stream_state] : []));
    expect(states).toEqual([{ cursor: 25 }, { cursor: 45 }]);
    expect(result.lines.at(-1)).toContain('"status":"COMPLETE"');
  });

  it("turns logger lines and stray console output into LOG messages, secrets masked", async () => {
    const config = await file("chatty.json", { count: 1, chatty: true, password: "pa55word!" });
    const result = await run(sourceBin, [
      "read",
      "--config",
      config,
      "--catalog",
      await file("cat.json", catalog),
    ]);
    expect(result.code).toBe(0);
    const logs = result.messages.flatMap((m) => (m.type === "LOG" ? [m.log.message] : []));
    expect(logs).toContain("starting at 0");
    expect(logs.some((l) => l.startsWith("raw console output"))).toBe(true);
    expect(result.lines.join("\n")).not.toContain("pa55word!");
  });

  it("exits 1 after a TRACE ERROR", async () => {
    const config = await file("fail.json", { count: 50, chunk: 10, fail_at: 30 });
    const result = await run(sourceBin, [
      "read",
      "--config",
      config,
      "--catalog",
      await file("cat.json", catalog),
    ]);
    expect(result.code).toBe(1);
    expect(result.messages.at(-1)).toMatchObject({
      trace: { type: "ERROR", error: { message: "Upstream went away", failure_type: "transient_error" } },
    });
  });

  it("reports a missing or broken file as a config_error naming it, exit 1", async () => {
    const missing = join(dir, "nope.json");
    const result = await run(sourceBin, ["discover", "--config", missing]);
    expect(result.code).toBe(1);
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]).toMatchObject({
      type: "TRACE",
      trace: {
        type: "ERROR",
        error: {
          failure_type: "config_error",
          message: `Could not read the --config file ${missing} (ENOENT)`,
        },
      },
    });
    const broken = await file("broken.json", '{"count": 1, "password": "s3cr3t-value"');
    const bad = await run(sourceBin, ["check", "--config", broken]);
    expect(bad.code).toBe(1);
    expect(bad.lines.join("\n")).toContain(`The --config file ${broken} is not valid JSON`);
    expect(bad.lines.join("\n")).not.toContain("s3cr3t-value");
  });

  it("exits 2 with usage on stderr for a bad command line", async () => {
    for (const args of [
      [],
      ["sync"],
      ["read", "--config", "c.json"],
      ["check", "--config", "c.json", "--catalog", "k.json"],
    ]) {
      const result = await run(sourceBin, args);
      expect(result.code).toBe(2);
      expect(result.lines).toEqual([]);
      expect(result.stderr).toContain("usage:");
    }
  });

  it("write: reads messages from stdin, skips noise, echoes states after the records", async () => {
    const out = join(dir, "written.jsonl");
    const config = await file("dest.json", { path: out });
    const input = [
      '{"type":"RECORD","record":{"stream":"numbers","data":{"n":1},"emitted_at":1}}',
      "this is not a message",
      '{"type":"RECORD","record":{"stream":"other","data":{"n":9},"emitted_at":1}}',
      '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"numbers"},"stream_state":{"cursor":1}},"id":1}}',
      '{"type":"RECORD","record":{"stream":"numbers","data":{"n":2},"emitted_at":1}}',
      '{"type":"TRACE","trace":{"type":"STREAM_STATUS","emitted_at":1,"stream_status":{"stream_descriptor":{"name":"numbers"},"status":"COMPLETE"}}}',
      '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"numbers"},"stream_state":{"cursor":2}},"id":2}}',
    ].join("\n");
    const result = await run(
      destinationBin,
      ["write", "--config", config, "--catalog", await file("cat.json", catalog)],
      input,
    );
    expect(result.code).toBe(0);
    const states = result.messages.flatMap((m) => (m.type === "STATE" ? [m.state] : []));
    expect(states.map((s) => [s.id, s.destinationStats?.recordCount])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    const logs = result.messages.flatMap((m) => (m.type === "LOG" ? [m.log.message] : []));
    expect(logs.some((l) => l.includes("this is not a message"))).toBe(true);
    expect(logs.some((l) => l.includes('"other"'))).toBe(true);
    expect(await readFile(out, "utf8")).toBe(
      '{"stream":"numbers","data":{"n":1}}\n{"stream":"numbers","data":{"n":2}}\n',
    );
    expect(await readFile(`${out}.close`, "utf8")).toBe("close ok=true complete=numbers\n");
  });

  it("write: SIGTERM while waiting on stdin closes the writer with ok=false and exits 143", async () => {
    const out = join(dir, "cancelled.jsonl");
    const config = await file("dest2.json", { path: out });
    const child = spawn(
      process.execPath,
      [destinationBin, "write", "--config", config, "--catalog", await file("cat.json", catalog)],
      {
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    const finished = finish(child);
    child.stdin.write(
      '{"type":"RECORD","record":{"stream":"numbers","data":{"n":1},"emitted_at":1}}\n' +
        '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"numbers"},"stream_state":{"cursor":1}}}}\n',
    );
    // Wait for the echo, so the state is known to be processed, then cancel with stdin still open.
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        if (d.toString().includes('"STATE"')) resolve();
      });
    });
    child.kill("SIGTERM");
    const result = await finished;
    expect(result.code).toBe(143);
    expect(result.messages.filter((m) => m.type === "STATE")).toHaveLength(1);
    expect(await readFile(`${out}.close`, "utf8")).toBe("close ok=false complete=\n");
  });

  it("read: SIGTERM stops a hanging read promptly with a non-zero exit", async () => {
    const config = await file("hang.json", { count: 100, chunk: 10, hang_after: 10 });
    const child = spawn(
      process.execPath,
      [sourceBin, "read", "--config", config, "--catalog", await file("cat.json", catalog)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const finished = finish(child);
    await new Promise<void>((resolve) => child.stderr.on("data", () => resolve()));
    const killedAt = Date.now();
    child.kill("SIGTERM");
    const result = await finished;
    expect(Date.now() - killedAt).toBeLessThan(1500);
    expect(result.code).toBe(143);
    expect(result.messages.filter((m) => m.type === "RECORD")).toHaveLength(10);
    expect(result.lines.at(-1)).toContain('"status":"INCOMPLETE"');
  });
});
