// A source speaking the protocol over stdio, for the runtime's tests. Its config picks a
// behaviour: good, exit-3, crash-mid, garbage, huge-line, hang, grandchild, grandchild-exit,
// ignore-sigterm, unknown-stream, trace-error, control.
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";

const [command, ...rest] = process.argv.slice(2);
const flag = (name) => {
  const at = rest.indexOf(`--${name}`);
  return at === -1 ? undefined : rest[at + 1];
};
const print = (messages) => process.stdout.write(`${messages.map((m) => JSON.stringify(m)).join("\n")}\n`);
const now = Date.now();
const record = (id, stream = "users") => ({
  type: "RECORD",
  record: { stream, data: { id }, emitted_at: now },
});
const state = (cursor) => ({
  type: "STATE",
  state: { type: "STREAM", stream: { stream_descriptor: { name: "users" }, stream_state: { cursor } } },
});
const log = (message) => ({ type: "LOG", log: { level: "INFO", message } });
const hang = () => setInterval(() => undefined, 60_000);

if (command === "spec") {
  print([{ type: "SPEC", spec: { connectionSpecification: { type: "object" } } }]);
  process.exit(0);
}
const configPath = flag("config");
const config = JSON.parse(readFileSync(configPath, "utf8"));
if (command === "check") {
  print([
    {
      type: "CONNECTION_STATUS",
      connectionStatus: config.fail
        ? { status: "FAILED", message: "wrong password" }
        : { status: "SUCCEEDED" },
    },
  ]);
  process.exit(0);
}
if (command === "discover") {
  const stream = {
    name: "users",
    json_schema: { type: "object" },
    supported_sync_modes: ["full_refresh", "incremental"],
  };
  print([{ type: "CATALOG", catalog: { streams: [stream] } }]);
  process.exit(0);
}

// read: say where the run's files are, and how they are protected, for the tests to check.
const mode = (path) => (statSync(path).mode & 0o777).toString(8);
const statePath = flag("state");
print([
  log(
    JSON.stringify({
      pid: process.pid,
      dir: dirname(configPath),
      dirMode: mode(dirname(configPath)),
      configMode: mode(configPath),
      catalogMode: mode(flag("catalog")),
      state: statePath === undefined ? null : JSON.parse(readFileSync(statePath, "utf8")),
    }),
  ),
]);
const count = config.records ?? 10;
const stateEvery = config.stateEvery ?? 5;
const behaviour = config.behaviour ?? "good";
const records = (from, to, stream) => {
  const out = [];
  for (let id = from; id <= to; id++) {
    out.push(record(id, stream));
    if (id % stateEvery === 0) out.push(state(id));
  }
  return out;
};

switch (behaviour) {
  case "good":
    print(records(1, count));
    break;
  case "exit-3":
    print(records(1, count));
    process.stderr.write("something broke\n");
    process.exit(3);
    break;
  case "crash-mid":
    print(records(1, count));
    throw new Error("kaboom");
  case "garbage":
    print([record(1)]);
    process.stdout.write("hello world\n{not json\n");
    print([record(2), state(2)]);
    break;
  case "huge-line": {
    print([record(1), state(1)]);
    const blob = "x".repeat(config.hugeBytes ?? 50 * 1024 * 1024);
    process.stdout.write(
      `{"type":"RECORD","record":{"stream":"users","data":{"blob":"${blob}"},"emitted_at":1}}\n`,
    );
    print([record(3), state(3)]);
    break;
  }
  case "hang":
    print(records(1, count));
    hang();
    break;
  case "grandchild":
  case "grandchild-exit": {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 60000)"], { stdio: "ignore" });
    print([log(JSON.stringify({ grandchild: child.pid })), ...records(1, count)]);
    if (behaviour === "grandchild") hang();
    else process.exit(0);
    break;
  }
  case "ignore-sigterm":
    process.on("SIGTERM", () => process.stderr.write("ignoring SIGTERM\n"));
    print(records(1, count));
    hang();
    break;
  case "unknown-stream":
    print([...records(1, count), record(100, "ghosts"), record(101, "ghosts")]);
    break;
  case "trace-error":
    print([
      ...records(1, count),
      {
        type: "TRACE",
        trace: {
          type: "ERROR",
          emitted_at: now,
          error: { message: "bad api key", failure_type: "config_error", internal_message: "401" },
        },
      },
    ]);
    process.exit(1);
    break;
  case "control":
    print([
      {
        type: "CONTROL",
        control: {
          type: "CONNECTOR_CONFIG",
          emitted_at: now,
          connectorConfig: { config: { token: "s3cr3t" } },
        },
      },
      ...records(1, count),
    ]);
    break;
  default:
    process.stderr.write(`unknown behaviour ${behaviour}\n`);
    process.exit(9);
}
