#!/usr/bin/env node
// A protocol destination for the CLI's end-to-end tests: appends records to config.path (JSON
// lines, relative to its working directory), fsyncs at each STATE and then echoes it, unless
// config.echo is false. With config.linger_ms, it takes that long to finish once its input ends.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { createInterface } from "node:readline";

const spec = {
  supported_destination_sync_modes: ["append", "overwrite", "append_dedup"],
  connectionSpecification: {
    type: "object",
    required: ["path"],
    properties: {
      path: { type: "string" },
      echo: { type: "boolean", default: true },
      linger_ms: { type: "integer", minimum: 0, default: 0 },
    },
  },
};

const out = (message) => writeSync(1, `${JSON.stringify(message)}\n`);
const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};

const command = process.argv[2];
if (command === "spec") {
  out({ type: "SPEC", spec });
} else if (command === "check") {
  out({ type: "CONNECTION_STATUS", connectionStatus: { status: "SUCCEEDED" } });
} else if (command === "write") {
  const config = { echo: true, ...JSON.parse(readFileSync(arg("config"), "utf8")) };
  const fd = openSync(config.path, "a");
  let pending = "";
  const flush = () => {
    if (pending !== "") writeSync(fd, pending);
    pending = "";
    fsyncSync(fd);
  };
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line === "") continue;
    const message = JSON.parse(line);
    if (message.type === "RECORD") pending += `${JSON.stringify(message.record.data)}\n`;
    else if (message.type === "STATE") {
      flush();
      if (config.echo) out(message);
    }
  }
  if (config.linger_ms > 0) await new Promise((resolve) => setTimeout(resolve, config.linger_ms));
  flush();
  closeSync(fd);
} else {
  process.stderr.write(`unknown command ${command}\n`);
  process.exit(2);
}
