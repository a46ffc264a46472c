#!/usr/bin/env node
// A protocol source for `weir test-connector`'s end-to-end tests: `node acceptance-source.mjs
// MODE COMMAND …`. Mode "good" passes every check; each other mode breaks one thing:
//   stderr-only     writes only to stderr, on every command, and exits 0
//   silent          exits 0 without printing anything
//   invalid-spec    its connectionSpecification is not valid JSON Schema
//   unknown-record  read also emits a record of stream "ghost", which is not in the catalog
//   unknown-state   read also emits a STATE for stream "ghost"
// Stream "items": { id, updated_at }, cursor updated_at; a STATE every 2 records.
import { readFileSync, writeSync } from "node:fs";

const [mode, command, ...rest] = process.argv.slice(2);
const flag = (name) => {
  const at = rest.indexOf(`--${name}`);
  return at === -1 ? undefined : JSON.parse(readFileSync(rest[at + 1], "utf8"));
};
const out = (message) => writeSync(1, `${JSON.stringify(message)}\n`);

if (mode === "silent") process.exit(0);
if (mode === "stderr-only") {
  process.stderr.write(`starting ${command}\nconnected, nothing to say\n`);
  process.exit(0);
}

const spec = {
  protocol_version: "0.18.0",
  connectionSpecification: {
    type: "object",
    required: ["records"],
    properties: {
      records: { type: mode === "invalid-spec" ? "integr" : "integer", minimum: 0 },
      api_key: { type: "string", airbyte_secret: true },
    },
  },
};
const stream = {
  name: "items",
  json_schema: {
    type: "object",
    properties: { id: { type: "integer" }, updated_at: { type: "string", format: "date-time" } },
  },
  supported_sync_modes: ["full_refresh", "incremental"],
  source_defined_cursor: true,
  default_cursor_field: ["updated_at"],
  source_defined_primary_key: [["id"]],
};
const at = (id) => `2024-01-${String(id).padStart(2, "0")}T00:00:00+00:00`;
const now = Date.now();
const status = (name, value) => ({
  type: "TRACE",
  trace: {
    type: "STREAM_STATUS",
    emitted_at: now,
    stream_status: { stream_descriptor: { name }, status: value },
  },
});
const state = (name, cursor, count) => ({
  type: "STATE",
  state: {
    type: "STREAM",
    stream: { stream_descriptor: { name }, stream_state: { updated_at: cursor } },
    sourceStats: { recordCount: count },
  },
});
const record = (name, id) => ({
  type: "RECORD",
  record: { stream: name, data: { id, updated_at: at(id) }, emitted_at: now },
});

if (command === "spec") {
  out({ type: "SPEC", spec });
  process.exit(0);
}
const config = flag("config");
if (command === "check") {
  const problem = !Number.isInteger(config.records)
    ? "records: must be an integer"
    : config.api_key === "wrong-key-0000"
      ? "the API rejected the key"
      : undefined;
  out({
    type: "CONNECTION_STATUS",
    connectionStatus:
      problem === undefined ? { status: "SUCCEEDED" } : { status: "FAILED", message: problem },
  });
  process.exit(0);
}
if (command === "discover") {
  out({ type: "CATALOG", catalog: { streams: [stream] } });
  process.exit(0);
}
if (command === "read") {
  const catalog = flag("catalog");
  const input = flag("state") ?? [];
  const from = input.find((s) => s.stream?.stream_descriptor?.name === "items")?.stream?.stream_state
    ?.updated_at;
  if (catalog.streams.some((c) => c.stream.name === "items")) {
    out(status("items", "STARTED"));
    out(status("items", "RUNNING"));
    let cursor = from;
    let since = 0;
    for (let id = 1; id <= config.records; id++) {
      if (from !== undefined && Date.parse(at(id)) <= Date.parse(from)) continue;
      out(record("items", id));
      cursor = at(id);
      since++;
      if (since === 2) {
        out(state("items", cursor, since));
        since = 0;
      }
    }
    if (mode === "unknown-record") out(record("ghost", 1));
    if (mode === "unknown-state") out(state("ghost", at(1), 0));
    out(state("items", cursor ?? null, since));
    out(status("items", "COMPLETE"));
  }
  process.exit(0);
}
process.stderr.write(`unknown command ${command}\n`);
process.exit(2);
