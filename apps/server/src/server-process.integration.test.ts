import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/weir-server.js", import.meta.url));

describe("weir server as a process", () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    if (child?.exitCode === null) child.kill("SIGKILL");
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("starts on an empty data dir, prints the initial token once, serves both prefixes, stops on SIGTERM", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "weir-server-process-"));
    const dataDir = path.join(dir, "data");
    const env = { ...process.env };
    delete env.WEIR_SECRET_KEY;
    delete env.WEIR_DATABASE_URL;
    child = spawn(process.execPath, [BIN, "--port", "0", "--data-dir", dataDir], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.setEncoding("utf8");
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on("data", (chunk: string) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child?.once("exit", (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
    });
    const token = (await readFile(path.join(dataDir, "initial-token"), "utf8")).trim();
    expect(output).toContain(token);
    expect((await stat(path.join(dataDir, "initial-token"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, "secret-key"))).mode & 0o777).toBe(0o600);
    const health = await fetch(`${url}/api/public/v1/health`);
    expect(health.status).toBe(200);
    const unauthorized = await fetch(`${url}/v1/workspaces`);
    expect(unauthorized.status).toBe(401);
    const created = await fetch(`${url}/v1/workspaces`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "from a process" }),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get("content-type")).toContain("application/json");
    const listed = (await (
      await fetch(`${url}/api/public/v1/workspaces`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { data: { name: string }[] };
    expect(listed.data.map((w) => w.name)).toEqual(["from a process"]);
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });
});
