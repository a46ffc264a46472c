import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeDestinationConformance } from "@weir/cdk/testing";
import { afterAll } from "vitest";
import { destinationJsonl } from "./destination-jsonl.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describeDestinationConformance(destinationJsonl, {
  config: () => {
    const dir = mkdtempSync(join(tmpdir(), "weir-destination-jsonl-conformance-"));
    dirs.push(dir);
    return { destination_path: dir };
  },
  invalidConfig: { destination_path: "" },
  readBack: async (config, stream) =>
    readFileSync(join((config as { destination_path: string }).destination_path, `${stream}.jsonl`), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => (JSON.parse(line) as { _airbyte_data: Record<string, unknown> })._airbyte_data),
});
