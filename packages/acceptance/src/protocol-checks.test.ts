import { type AirbyteMessage, logMessage, specMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import type { AcceptanceOptions } from "./acceptance-types.js";
import { failedIds, resultOf, testConnector } from "./test-fixtures/acceptance-helpers.js";
import type { ScriptedAnswer } from "./test-fixtures/scripted-handle.js";
import {
  SCRIPTED_CONFIG,
  SCRIPTED_SPEC,
  type Spoilers,
  scriptedSource,
} from "./test-fixtures/scripted-source.js";

// Each case spoils one answer of a source that otherwise passes (it does: see
// run-acceptance-tests.test.ts), in a way the CDK never would: the envelope rules.

const withMessages = (
  good: ScriptedAnswer,
  map: (messages: readonly AirbyteMessage[]) => AirbyteMessage[],
) => ({
  ...good,
  messages: map(good.messages),
});

const ghostRecord: AirbyteMessage = {
  type: "RECORD",
  record: { stream: "ghost", data: { id: 1 }, emitted_at: 1 },
};
const ghostState: AirbyteMessage = {
  type: "STATE",
  state: {
    type: "STREAM",
    stream: { stream_descriptor: { name: "ghost" }, stream_state: {} },
    sourceStats: { recordCount: 0 },
  },
};

const tagsRead: AirbyteMessage[] = [
  { type: "RECORD", record: { stream: "tags", data: { tag: "red" }, emitted_at: 1 } },
  { type: "RECORD", record: { stream: "tags", data: { tag: "blue" }, emitted_at: 1 } },
];

const cases: {
  name: string;
  spoilers: Spoilers;
  options?: Partial<AcceptanceOptions>;
  fails: string[];
  reason: string;
  failureType?: string;
}[] = [
  {
    name: "two SPEC messages",
    spoilers: { spec: (good) => withMessages(good, (m) => [...m, ...m]) },
    fails: ["spec.single_message"],
    reason: "printed 2 SPEC messages; the protocol wants one",
  },
  {
    name: "a SPEC without protocol_version",
    spoilers: {
      spec: () => ({
        messages: [specMessage({ connectionSpecification: SCRIPTED_SPEC.connectionSpecification })],
      }),
    },
    fails: ["spec.protocol_version"],
    reason: "the SPEC has no protocol_version",
  },
  {
    name: "a SPEC, then exit code 3",
    spoilers: { spec: (good) => ({ ...good, exitCode: 3, stderr: ["Segmentation fault"] }) },
    fails: ["spec.single_message"],
    reason: "spec: scripted source exited with code 3: Segmentation fault",
  },
  {
    name: "a check that crashes on a bad config",
    spoilers: {
      check: (good, invocation) =>
        Number.isInteger((invocation as { config: { records?: unknown } }).config.records)
          ? good
          : { messages: [logMessage("ERROR", "TypeError: records.toFixed is not a function")], exitCode: 1 },
    },
    fails: ["check.fails"],
    reason:
      "a crash, not CONNECTION_STATUS FAILED, for an invalid config (without the required field records)",
  },
  {
    name: "a FAILED check without a message",
    spoilers: {
      check: (good) =>
        withMessages(good, (m) =>
          m.map((x) =>
            x.type === "CONNECTION_STATUS" && x.connectionStatus.status === "FAILED"
              ? { type: "CONNECTION_STATUS", connectionStatus: { status: "FAILED" } }
              : x,
          ),
        ),
    },
    fails: ["check.fails"],
    reason: "FAILED without a message",
  },
  {
    name: "a catalog line that is not a valid message",
    spoilers: {
      discover: () => ({
        messages: [
          logMessage("INFO", JSON.stringify({ type: "CATALOG", catalog: { streams: [{ name: "items" }] } })),
        ],
      }),
    },
    fails: ["discover.catalog", "protocol.messages_valid"],
    reason:
      "scripted source printed a CATALOG line that is not a valid message: catalog.streams.0.json_schema",
  },
  {
    name: "a catalog written to stderr",
    spoilers: {
      discover: (good) => {
        const line = JSON.stringify(good.messages[0]);
        return { messages: [logMessage("INFO", line)], stderr: [line] };
      },
    },
    fails: ["discover.catalog", "protocol.messages_valid"],
    reason: "scripted source wrote its CATALOG message to stderr; the protocol reads only stdout",
  },
  {
    name: "a record of a stream that is not in the catalog",
    spoilers: { read: (good) => withMessages(good, (m) => [...m, ghostRecord]) },
    fails: ["read.configured_streams_only"],
    reason: '1 record(s) of stream "ghost", which is not in the configured catalog',
  },
  {
    name: "every stream read, whatever the catalog says",
    spoilers: {
      read: (good, invocation) => {
        const catalog = (invocation as { catalog: { streams: unknown[] } }).catalog;
        return catalog.streams.length === 1 ? { ...good, messages: [...good.messages, ...tagsRead] } : good;
      },
    },
    fails: ["read.configured_streams_only"],
    reason: 'with only items: 2 record(s) of stream "tags", which is not in the configured catalog',
  },
  {
    name: "a STATE for a stream that is not in the catalog",
    spoilers: { read: (good) => withMessages(good, (m) => [...m, ghostState]) },
    fails: ["read.state", "incremental.state_emitted"],
    reason: 'a STATE for stream "ghost", which is not in the configured catalog',
  },
  {
    name: "a LEGACY state",
    spoilers: {
      read: (good) =>
        withMessages(good, (m) => [...m, { type: "STATE", state: { type: "LEGACY", data: { at: 1 } } }]),
    },
    fails: ["read.state", "incremental.state_emitted"],
    reason: "a LEGACY state (type LEGACY or none): Airbyte wants STREAM or GLOBAL state",
  },
  {
    name: "a state that miscounts its records",
    spoilers: {
      read: (good) =>
        withMessages(good, (m) =>
          m.map((x) =>
            x.type === "STATE" && x.state.sourceStats?.recordCount === 2
              ? { ...x, state: { ...x.state, sourceStats: { recordCount: 3 } } }
              : x,
          ),
        ),
    },
    fails: ["read.state", "incremental.state_emitted"],
    reason: "items: a STATE counts 3 records where 2 came since the previous one",
  },
  {
    name: "a state without sourceStats",
    spoilers: {
      read: (good) =>
        withMessages(good, (m) =>
          m.map((x) =>
            x.type === "STATE" ? { ...x, state: { type: x.state.type, stream: x.state.stream } } : x,
          ),
        ),
    },
    fails: ["read.state", "incremental.state_emitted"],
    reason: "items: a STATE without sourceStats.recordCount",
  },
  {
    name: "stream statuses out of order",
    spoilers: {
      read: (good) =>
        withMessages(good, (m) => {
          const statuses = m.filter((x) => x.type === "TRACE");
          return [...m.filter((x) => x.type !== "TRACE"), ...statuses.reverse()];
        }),
    },
    fails: ["read.stream_status"],
    reason: "does not begin with STARTED",
  },
  {
    name: "a record that breaks the official schema",
    spoilers: {
      read: (good) =>
        withMessages(good, (m) =>
          m.map((x) =>
            x.type === "RECORD"
              ? ({ ...x, record: { ...x.record, emitted_at: "now" } } as unknown as AirbyteMessage)
              : x,
          ),
        ),
    },
    fails: ["protocol.messages_valid"],
    reason: "read: a RECORD message: message.record.emitted_at: must be integer",
  },
  {
    name: "a discover that hangs",
    spoilers: { discover: () => ({ messages: [], hang: true }) },
    options: { timeouts: { discover: 100 } },
    fails: ["discover.catalog"],
    reason: "no CATALOG message: scripted source did not finish discover within 0.1 s",
    failureType: "transient_error",
  },
  {
    name: "a read larger than allowed",
    spoilers: {},
    options: { maxRecordsPerRead: 3 },
    fails: ["read.records", "read.configured_streams_only", "incremental.state_emitted"],
    reason: "read emitted more than 3 records and was stopped; test with a config that reads less",
    failureType: "config_error",
  },
];

describe("protocol rules: a source that breaks one", () => {
  for (const c of cases) {
    it(`fails ${c.fails.join(", ")} for ${c.name}`, async () => {
      const report = await testConnector(scriptedSource(c.spoilers), SCRIPTED_CONFIG, c.options);
      expect(failedIds(report)).toEqual(c.fails);
      const first = resultOf(report, c.fails[0] as string);
      expect(first.reason).toContain(c.reason);
      expect(first.failureType).toBe(c.failureType ?? "system_error");
    });
  }
});

describe("secrets", () => {
  it("finds a secret in a log line, and never shows it in a reason", async () => {
    const leaky = scriptedSource({
      check: (good, invocation) => {
        const key = (invocation as { config: { api_key?: string } }).config.api_key;
        return key === SCRIPTED_CONFIG.api_key
          ? {
              messages: [
                logMessage("DEBUG", `GET /items?key=${key}`),
                {
                  type: "CONNECTION_STATUS",
                  connectionStatus: { status: "FAILED", message: `key ${key} expired` },
                },
              ],
            }
          : good;
      },
    });
    const report = await testConnector(leaky, SCRIPTED_CONFIG);
    // Twice per check: the derived invalid config keeps the key.
    expect(resultOf(report, "protocol.secrets_hidden")).toMatchObject({
      status: "failed",
      reason:
        "a secret value appears in 4 message(s): check: a LOG message; check: a CONNECTION_STATUS message; check: a LOG message; and 1 more",
    });
    expect(resultOf(report, "check.succeeds").reason).toBe("check answered FAILED: key ********** expired");
    expect(JSON.stringify(report)).not.toContain(SCRIPTED_CONFIG.api_key);
  });
});
