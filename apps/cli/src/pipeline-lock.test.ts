import { spawn } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquirePipelineLock } from "./pipeline-lock.js";
import { removeTempFolders, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

describe("acquirePipelineLock", () => {
  it("lets one holder in at a time and releases on request", async () => {
    const file = path.join(await tempFolder(), "p.lock");
    const first = await acquirePipelineLock(file);
    expect(first.ok).toBe(true);
    expect(JSON.parse(await readFile(file, "utf8")).pid).toBe(process.pid);
    const second = await acquirePipelineLock(file);
    expect(!second.ok && second.failure).toMatchObject({
      type: "transient_error",
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    if (first.ok) await first.value.release();
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    const third = await acquirePipelineLock(file);
    expect(third.ok).toBe(true);
    if (third.ok) await third.value.release();
  });

  it("takes over a lock whose process is gone", async () => {
    const file = path.join(await tempFolder(), "p.lock");
    const child = spawn(process.execPath, ["-e", ""]);
    const deadPid = child.pid as number;
    await new Promise((resolve) => child.on("exit", resolve));
    await writeFile(file, JSON.stringify({ pid: deadPid }));
    const lock = await acquirePipelineLock(file);
    expect(lock.ok).toBe(true);
    if (lock.ok) await lock.value.release();
  });

  it("reports a state folder it cannot create as a system_error", async () => {
    const dir = await tempFolder({ "a-file": "" });
    const lock = await acquirePipelineLock(path.join(dir, "a-file", "sub", "p.lock"));
    expect(!lock.ok && lock.failure).toMatchObject({
      type: "system_error",
      message: /cannot use the state folder .*ENOTDIR/,
    });
  });
});
