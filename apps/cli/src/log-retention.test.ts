import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pruneAttemptLogs } from "./log-retention.js";
import { removeTempFolders, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

describe("pruneAttemptLogs", () => {
  it("keeps the newest logs of the pipeline and nothing else is touched", async () => {
    const dir = await tempFolder();
    const names = [
      "p-20250101T000000Z.log",
      "p-20250102T000000Z.log",
      "p-20250103T000000Z.log",
      "other-20240101T000000Z.log",
      "p-notes.txt",
    ];
    for (const n of names) await writeFile(path.join(dir, n), "");
    expect(await pruneAttemptLogs(dir, "p", 2)).toEqual(["p-20250101T000000Z.log"]);
    expect((await readdir(dir)).sort()).toEqual([
      "other-20240101T000000Z.log",
      "p-20250102T000000Z.log",
      "p-20250103T000000Z.log",
      "p-notes.txt",
    ]);
    expect(await pruneAttemptLogs(path.join(dir, "missing"), "p")).toEqual([]);
  });
});
