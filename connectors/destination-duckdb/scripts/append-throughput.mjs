// Measures destination-duckdb's write throughput on small records, through the writer itself.
// Usage (after `npx tsc -b`): node connectors/destination-duckdb/scripts/append-throughput.mjs [rows] [mode]
// mode: append (default), append_dedup or overwrite. FLUSH_EVERY=n flushes every n rows, as the CDK
// does before each STATE (default 100000); DUCKDB_PATH=file writes (again) to that file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { destinationDuckdb } from "../dist/index.js";

const rows = Number(process.argv[2] ?? 1_000_000);
const mode = process.argv[3] ?? "append";
const dir = mkdtempSync(join(tmpdir(), "weir-duckdb-bench-"));
const path = process.env.DUCKDB_PATH ?? join(dir, "bench.duckdb");
const schema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    score: { type: "number" },
    active: { type: "boolean" },
    updated_at: { type: "string", format: "date-time" },
  },
};
const catalog = {
  streams: [
    {
      stream: { name: "bench", json_schema: schema, supported_sync_modes: ["full_refresh", "incremental"] },
      sync_mode: "incremental",
      destination_sync_mode: mode,
      primary_key: [["id"]],
      cursor_field: ["updated_at"],
    },
  ],
};
const logger = { log: () => {} };
const batchSize = 1000;
const flushEvery = Number(process.env.FLUSH_EVERY ?? 100_000);
const started = performance.now();
const writer = await destinationDuckdb.open({
  config: { destination_path: path },
  catalog,
  logger,
  signal: new AbortController().signal,
});
const emittedAt = Date.now();
for (let offset = 0; offset < rows; offset += batchSize) {
  const batch = [];
  for (let i = offset; i < Math.min(rows, offset + batchSize); i++) {
    batch.push({
      stream: "bench",
      emitted_at: emittedAt,
      data: {
        id: i,
        name: `user ${i}`,
        score: i / 7,
        active: i % 2 === 0,
        updated_at: "2024-05-01T12:34:56Z",
      },
    });
  }
  await writer.write(batch);
  if ((offset + batchSize) % flushEvery === 0) await writer.flush();
}
await writer.close({ ok: true, completeStreams: new Set(["bench"]) });
const seconds = (performance.now() - started) / 1000;
console.log(
  `${mode}: ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString("en")} rows/s`,
);
rmSync(dir, { recursive: true, force: true });
