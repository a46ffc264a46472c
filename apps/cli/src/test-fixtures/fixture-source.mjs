#!/usr/bin/env node
// A protocol source for the CLI's end-to-end tests, with ways to misbehave chosen by config.mode.
// Stream "items": records { id } with ids 1, 2, 3…; STATE { cursor: id } every `state_every` records.
import { readFileSync, writeSync } from "node:fs";

const spec = {
  connectionSpecification: {
    type: "object",
    required: ["mode"],
    properties: {
      mode: {
        type: "string",
        enum: ["ok", "exit-nonzero", "crash", "garbage", "huge-line", "hang", "endless"],
      },
      records: { type: "integer", minimum: 0, default: 30 },
      state_every: { type: "integer", minimum: 1, default: 10 },
      fail_after: { type: "integer", minimum: 0, default: 25 },
      delay_ms: { type: "integer", minimum: 0, default: 0 },
      api_key: { type: "string", airbyte_secret: true, minLength: 12 },
    },
  },
};

const stream = {
  name: "items",
  json_schema: { type: "object", properties: { id: { type: "integer" }, note: { type: "string" } } },
  supported_sync_modes: ["full_refresh", "incremental"],
  source_defined_cursor: true,
  default_cursor_field: ["id"],
  source_defined_primary_key: [["id"]],
};

const out = (message) => writeSync(1, `${JSON.stringify(message)}\n`);
const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};
const json = (name) => (arg(name) === undefined ? undefined : JSON.parse(readFileSync(arg(name), "utf8")));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const record = (id, data = {}) => ({
  type: "RECORD",
  record: { stream: "items", data: { id, ...data }, emitted_at: Date.now() },
});
const state = (cursor) => ({
  type: "STATE",
  state: { type: "STREAM", stream: { stream_descriptor: { name: "items" }, stream_state: { cursor } } },
});

const command = process.argv[2];
if (command === "spec") {
  out({ type: "SPEC", spec });
} else if (command === "check") {
  out({ type: "CONNECTION_STATUS", connectionStatus: { status: "SUCCEEDED" } });
} else if (command === "discover") {
  out({ type: "CATALOG", catalog: { streams: [stream] } });
} else if (command === "read") {
  const config = { records: 30, state_every: 10, fail_after: 25, delay_ms: 0, ...json("config") };
  const input = json("state") ?? [];
  const start =
    input.find((s) => s.stream?.stream_descriptor?.name === "items")?.stream?.stream_state?.cursor ?? 0;
  const last = config.mode === "endless" ? Number.POSITIVE_INFINITY : start + config.records;
  for (let id = start + 1; id <= last; id++) {
    if (id - start > config.fail_after) {
      if (config.mode === "exit-nonzero") {
        process.stderr.write("fatal: the upstream API answered 500 three times\n");
        process.exit(3);
      }
      if (config.mode === "crash") throw new Error("boom: cannot parse page 3");
      if (config.mode === "hang") {
        setInterval(() => undefined, 60_000);
        await new Promise(() => undefined);
      }
    }
    if (config.mode === "garbage" && id % 7 === 0) {
      writeSync(1, "hello, this line is not JSON\n{broken json\n\n");
    }
    // A 50 MB record (valid, if absurd), then a 50 MB line that is not a message at all.
    if (config.mode === "huge-line" && id === 5) out(record(0, { note: "x".repeat(50 * 1024 * 1024) }));
    if (config.mode === "huge-line" && id === 6) writeSync(1, `${"garbage ".repeat(50 * 128 * 1024)}\n`);
    out(record(id));
    if ((id - start) % config.state_every === 0) out(state(id));
    if (config.delay_ms > 0) await sleep(config.delay_ms);
  }
  if ((last - start) % config.state_every !== 0) out(state(last));
} else {
  process.stderr.write(`unknown command ${command}\n`);
  process.exit(2);
}
