// One measurement of the in-process benchmark, run in its own process by run-all.ts:
//   node dist/faker-bench.js source|sync COUNT
//   source: drain source-faker alone (the baseline: how fast records can be made)
//   sync:   source-faker → driver → destination-jsonl, all in-process
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConnector } from "@weir/cdk";
import { destinationJsonl } from "@weir/destination-jsonl";
import type { ConfiguredAirbyteCatalog } from "@weir/protocol";
import { createInProcessHandle, runSync } from "@weir/runtime";
import { sourceFaker } from "@weir/source-faker";
import { report } from "./measurement.js";

const [mode, countArg] = process.argv.slice(2);
const count = Number(countArg);
if ((mode !== "source" && mode !== "sync") || !Number.isInteger(count)) {
  throw new Error("usage: faker-bench.js source|sync COUNT");
}
const sourceConfig = { count, seed: 7, records_per_slice: 1000, always_updated: false };

async function fullRefreshCatalog(): Promise<ConfiguredAirbyteCatalog> {
  for await (const batch of runConnector(sourceFaker, { command: "discover", config: sourceConfig })) {
    for (const message of batch) {
      if (message.type === "CATALOG") {
        return {
          streams: message.catalog.streams.map((stream) => ({
            stream,
            sync_mode: "full_refresh" as const,
            destination_sync_mode: "overwrite" as const,
          })),
        };
      }
    }
  }
  throw new Error("source-faker sent no catalog");
}

function folderBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const catalog = await fullRefreshCatalog();
const startedAt = process.hrtime.bigint();
if (mode === "source") {
  let records = 0;
  const invocation = { command: "read", config: sourceConfig, catalog } as const;
  for await (const batch of runConnector(sourceFaker, invocation)) {
    for (const message of batch) if (message.type === "RECORD") records++;
  }
  report("faker alone", startedAt, records, 0);
} else {
  const folder = mkdtempSync(join(tmpdir(), "weir-bench-"));
  const result = await runSync({
    source: { handle: createInProcessHandle(sourceFaker), config: sourceConfig },
    destination: { handle: createInProcessHandle(destinationJsonl), config: { destination_path: folder } },
    catalog,
  });
  if (result.status !== "succeeded") throw new Error(`sync failed: ${JSON.stringify(result.failure)}`);
  const records = result.streams.reduce((sum, s) => sum + s.recordsCommitted, 0);
  report("faker → jsonl", startedAt, records, folderBytes(folder));
  rmSync(folder, { recursive: true, force: true });
}
