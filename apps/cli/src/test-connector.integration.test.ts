import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES_DIR, lastJson, removeTempFolders, runWeir, tempFolder } from "./weir-test-process.js";

// `weir test-connector --command …` against a local program that breaks one rule at a time
// (test-fixtures/acceptance-source.mjs): each gives a failed, classified check, not a crash.

const fixture = (mode: string) => `node ${path.join(FIXTURES_DIR, "acceptance-source.mjs")} ${mode}`;

interface JsonCheck {
  id: string;
  status: string;
  reason?: string;
  failure_type?: string;
}

let dir = "";
beforeAll(async () => {
  dir = await tempFolder({
    "config.json": JSON.stringify({ records: 6, api_key: "s3cr3t-value-123" }),
    "wrong-key.json": JSON.stringify({ records: 6, api_key: "wrong-key-0000" }),
    "not-json.json": "{ records: 6",
  });
});
afterAll(removeTempFolders);

async function testCommand(mode: string, ...more: string[]) {
  const run = await runWeir(
    ["test-connector", "--command", fixture(mode), "--config", "config.json", ...more],
    {
      cwd: dir,
    },
  );
  return run;
}

async function failures(mode: string): Promise<{ code: number | null; failed: JsonCheck[] }> {
  const run = await testCommand(mode, "--json");
  const checks = lastJson(run).checks as JsonCheck[];
  return { code: run.code, failed: checks.filter((c) => c.status === "failed") };
}

describe("weir test-connector on a local program", () => {
  it("passes a program that follows the protocol, with a line per check and a summary", async () => {
    const run = await testCommand("good", "--invalid-config", "wrong-key.json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe('Testing command "node acceptance-source.mjs good"');
    expect(lines).toContainEqual(
      expect.stringMatching(/^✓ spec: declares protocol_version \(0\.18\.0\) \d+ ms$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^✓ check: fails cleanly \(CONNECTION_STATUS FAILED\) with an invalid config \(answered "the API rejected the key"\) \d+ ms$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^– read: the expected records are read \(no expected records given\) \d+ ms$/),
    );
    expect(lines.at(-1)).toMatch(
      /^✓ command "node acceptance-source\.mjs good" passed: \d+ passed, 0 failed, 1 skipped in /,
    );
    expect(run.stdout).not.toContain("s3cr3t-value-123");
  });

  it("fails a program that writes only to stderr, quoting what it wrote", async () => {
    const { code, failed } = await failures("stderr-only");
    expect(code).toBe(1);
    expect(failed).toEqual([
      {
        id: "spec.single_message",
        phase: "spec",
        title: "emits exactly one SPEC",
        status: "failed",
        reason:
          'command "node acceptance-source.mjs stderr-only" printed no SPEC message on stdout, it only wrote to stderr: "starting spec", "connected, nothing to say"',
        failure_type: "system_error",
        duration_ms: expect.any(Number),
      },
    ]);
  });

  it("fails a program that exits 0 without output", async () => {
    const { failed } = await failures("silent");
    expect(failed.map((c) => [c.id, c.failure_type, c.reason])).toEqual([
      [
        "spec.single_message",
        "system_error",
        'command "node acceptance-source.mjs silent" exited 0 without printing anything (no SPEC message)',
      ],
    ]);
  });

  it("fails a program whose spec is not JSON Schema, naming the broken keyword", async () => {
    const { failed } = await failures("invalid-spec");
    expect(failed.map((c) => c.id)).toEqual(["spec.valid_json_schema"]);
    expect(failed[0]?.reason).toContain(
      "connectionSpecification is not a valid JSON Schema: schema is invalid: data/properties/records/type must be equal to one of the allowed values",
    );
  });

  it("fails a program that emits a record of a stream not in the catalog", async () => {
    const { failed } = await failures("unknown-record");
    expect(failed.map((c) => [c.id, c.failure_type, c.reason])).toEqual([
      [
        "read.configured_streams_only",
        "system_error",
        '1 record(s) of stream "ghost", which is not in the configured catalog',
      ],
    ]);
  });

  it("fails a program that emits a STATE for an unknown stream, in both reads that show it", async () => {
    const { failed } = await failures("unknown-state");
    expect(failed.map((c) => [c.id, c.reason])).toEqual([
      ["read.state", 'a STATE for stream "ghost", which is not in the configured catalog'],
      ["incremental.state_emitted", 'a STATE for stream "ghost", which is not in the configured catalog'],
    ]);
  });
});

describe("weir test-connector input problems", () => {
  it("refuses to run without one connector and a config (usage, exit 2)", async () => {
    const none = await runWeir(["test-connector", "--config", "config.json"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("name the connector once");
    const noConfig = await runWeir(["test-connector", "faker"], { cwd: dir });
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toContain("give at least one --config file");
  });

  it("names a config file that is missing or not JSON, before running anything", async () => {
    const missing = await runWeir(["test-connector", "faker", "--config", "nope.json"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("✗ config_error: --config nope.json: file not found\n");
    const broken = await runWeir(["test-connector", "faker", "--config", "not-json.json", "--json"], {
      cwd: dir,
    });
    expect(broken.code).toBe(1);
    expect(lastJson(broken)).toMatchObject({ status: "failed", failure: { type: "config_error" } });
    expect(String((lastJson(broken).failure as { message: string }).message)).toMatch(
      /^--config not-json\.json: not valid JSON \(/,
    );
  });

  it("names an unknown built-in, and a malformed image, as config errors", async () => {
    const unknown = await runWeir(["test-connector", "fakr", "--config", "config.json"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('✗ config_error: unknown connector "fakr" (did you mean "faker"?)');
    const image = await runWeir(["test-connector", "--image", "not an image", "--config", "config.json"], {
      cwd: dir,
    });
    expect(image.code).toBe(1);
    expect(image.stderr).toBe("✗ config_error: --image: must be an image name without spaces\n");
  });
});
