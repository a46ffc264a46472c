// A destination speaking the protocol over stdio, for the runtime's tests. Config:
// { echo: "all" | "last" | "none", dieAfterRecords?: number }. It counts what it receives and
// says so in LOG messages; echoes carry destinationStats like real destinations' do.
import { createInterface } from "node:readline";

const [command, ...rest] = process.argv.slice(2);
const print = (messages) => process.stdout.write(`${messages.map((m) => JSON.stringify(m)).join("\n")}\n`);
const log = (message) => ({ type: "LOG", log: { level: "INFO", message } });

if (command === "spec") {
  print([{ type: "SPEC", spec: { connectionSpecification: { type: "object" } } }]);
  process.exit(0);
}
const { readFileSync } = await import("node:fs");
const config = JSON.parse(readFileSync(rest[rest.indexOf("--config") + 1], "utf8"));
const echo = config.echo ?? "all";
let records = 0;
let sinceState = 0;
let last;
const statuses = [];

for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
  if (line === "") continue;
  const message = JSON.parse(line);
  if (message.type === "RECORD") {
    records++;
    sinceState++;
    if (config.dieAfterRecords !== undefined && records >= config.dieAfterRecords) {
      process.stderr.write("destination crashed: disk full\n");
      process.exit(2);
    }
  } else if (message.type === "STATE") {
    const echoed = { ...message, state: { ...message.state, destinationStats: { recordCount: sinceState } } };
    sinceState = 0;
    if (echo === "all") print([echoed]);
    else last = echoed;
  } else if (message.type === "TRACE" && message.trace.type === "STREAM_STATUS") {
    statuses.push(
      `${message.trace.stream_status.stream_descriptor.name}:${message.trace.stream_status.status}`,
    );
  } else {
    print([log(`unexpected ${message.type}`)]);
  }
}
if (echo === "last" && last !== undefined) print([last]);
print([log(JSON.stringify({ received: records, statuses }))]);
