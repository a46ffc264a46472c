#!/usr/bin/env node
// A minimal protocol source that dumps the tables of a DuckDB file, one stream per table of
// schema "main": the read-back source `weir test-connector duckdb` is tested with
// (--read-back-command). Config: { "path": "<file>.duckdb" }. Values come as JSON (DuckDB's own
// conversion: BIGINT as numbers, timestamps as text).
import { readFileSync, writeSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const [command, ...rest] = process.argv.slice(2);
const flag = (name) => {
  const at = rest.indexOf(`--${name}`);
  return at === -1 ? undefined : JSON.parse(readFileSync(rest[at + 1], "utf8"));
};
const out = (message) => writeSync(1, `${JSON.stringify(message)}\n`);
const quote = (name) => `"${name.replaceAll('"', '""')}"`;

if (command === "spec") {
  out({
    type: "SPEC",
    spec: {
      protocol_version: "0.18.0",
      connectionSpecification: {
        type: "object",
        required: ["path"],
        properties: { path: { type: "string" } },
      },
    },
  });
  process.exit(0);
}

const config = flag("config");
// Read-only: the destination under test may still be open in the tester's process.
const instance = await DuckDBInstance.create(config.path, { access_mode: "READ_ONLY" });
const connection = await instance.connect();
try {
  if (command === "check") {
    out({ type: "CONNECTION_STATUS", connectionStatus: { status: "SUCCEEDED" } });
  } else if (command === "discover") {
    const reader = await connection.runAndReadAll(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1",
    );
    const streams = reader.getRowObjectsJson().map((row) => ({
      name: String(row.table_name),
      json_schema: { type: "object" },
      supported_sync_modes: ["full_refresh"],
    }));
    out({ type: "CATALOG", catalog: { streams } });
  } else if (command === "read") {
    const catalog = flag("catalog");
    for (const { stream } of catalog.streams) {
      const reader = await connection.runAndReadAll(`SELECT * FROM main.${quote(stream.name)}`);
      for (const data of reader.getRowObjectsJson()) {
        out({ type: "RECORD", record: { stream: stream.name, data, emitted_at: Date.now() } });
      }
    }
  }
} finally {
  connection.closeSync();
  instance.closeSync();
}
