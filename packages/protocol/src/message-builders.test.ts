import { describe, expect, it } from "vitest";
import {
  catalogMessage,
  connectionStatusMessage,
  errorTrace,
  estimateTrace,
  logMessage,
  recordMessage,
  specMessage,
  stateMessage,
  streamDescriptor,
  streamKey,
  streamStateMessage,
  streamStatusTrace,
} from "./message-builders.js";
import { createProtocolValidator } from "./protocol-validator.js";
import { sampleMessages } from "./sample-messages.js";
import { AirbyteMessage, AirbyteStreamStatus, FailureType, LogLevel } from "./schemas.js";

const validate = createProtocolValidator();

/** Valid per the official schema, per our zod schema, and unchanged by zod. */
function expectValid(message: AirbyteMessage): void {
  expect(validate(message)).toEqual([]);
  expect(AirbyteMessage.parse(message)).toEqual(message);
}

describe("every builder", () => {
  const before = Date.now();
  const built: [string, AirbyteMessage][] = [
    ["recordMessage", recordMessage("users", { id: 1 })],
    [
      "recordMessage with options",
      recordMessage("users", { id: 1 }, { namespace: "public", emittedAt: 5, meta: { changes: [] } }),
    ],
    ["stateMessage LEGACY", stateMessage({ type: "LEGACY", data: { cursor: 1 } })],
    ["stateMessage GLOBAL", stateMessage(sampleMessages["STATE GLOBAL"].state)],
    ["streamStateMessage", streamStateMessage({ name: "users" }, { updated_at: "2024-01-01" })],
    ["streamStateMessage with count", streamStateMessage({ name: "users", namespace: "s" }, { id: 1 }, 1000)],
    ...LogLevel.options.map((level): [string, AirbyteMessage] => [
      `logMessage ${level}`,
      logMessage(level, "hi"),
    ]),
    ["logMessage with stack", logMessage("ERROR", "boom", "Error: boom\n  at x")],
    ...FailureType.options.map((type): [string, AirbyteMessage] => [
      `errorTrace ${type}`,
      errorTrace("bad", type),
    ]),
    [
      "errorTrace with options",
      errorTrace("bad", "system_error", {
        internalMessage: "TypeError: x is undefined",
        stackTrace: "TypeError\n  at y",
        streamDescriptor: { name: "users", namespace: "public" },
      }),
    ],
    ...AirbyteStreamStatus.options.map((status): [string, AirbyteMessage] => [
      `streamStatusTrace ${status}`,
      streamStatusTrace({ name: "users", namespace: null }, status),
    ]),
    ["estimateTrace", estimateTrace({ name: "users", namespace: "public" }, { rows: 10.4, bytes: 99.6 })],
    ["estimateTrace without numbers", estimateTrace({ name: "users" }, {})],
    ["connectionStatusMessage", connectionStatusMessage("SUCCEEDED")],
    ["connectionStatusMessage FAILED", connectionStatusMessage("FAILED", "count: must be integer")],
    ["specMessage", specMessage(sampleMessages.SPEC.spec)],
    ["specMessage minimal", specMessage({ connectionSpecification: { type: "object" } })],
    ["catalogMessage", catalogMessage(sampleMessages.CATALOG.catalog)],
    ["catalogMessage empty", catalogMessage({ streams: [] })],
  ];

  it.each(built)("%s validates against the official schema", (_name, message) => {
    expectValid(message);
  });

  it("stamp emitted_at with the current integer milliseconds", () => {
    for (const [, message] of built) {
      const stamped =
        message.type === "RECORD" ? message.record : message.type === "TRACE" ? message.trace : undefined;
      if (stamped === undefined || stamped.emitted_at === 5) continue;
      expect(Number.isInteger(stamped.emitted_at)).toBe(true);
      expect(stamped.emitted_at).toBeGreaterThanOrEqual(before);
      expect(stamped.emitted_at).toBeLessThanOrEqual(Date.now());
    }
  });
});

describe("recordMessage", () => {
  it("leaves out an absent or empty namespace, which the schema types as a string", () => {
    expect(recordMessage("u", {}, { emittedAt: 1 })).toEqual({
      type: "RECORD",
      record: { stream: "u", data: {}, emitted_at: 1 },
    });
    expect(recordMessage("u", {}, { namespace: "", emittedAt: 1 }).record).not.toHaveProperty("namespace");
    expect(recordMessage("u", {}, { namespace: "s", emittedAt: 1 }).record.namespace).toBe("s");
  });

  it("keeps the data object itself, without copying it", () => {
    const data = { id: 1 };
    expect(recordMessage("u", data).record.data).toBe(data);
  });

  it("carries meta changes", () => {
    const meta = {
      changes: [{ field: "bio", change: "NULLED" as const, reason: "SOURCE_RETRIEVAL_ERROR" as const }],
    };
    const message = recordMessage("u", {}, { meta });
    expect(message.record.meta).toEqual(meta);
    expectValid(message);
  });
});

describe("streamStateMessage", () => {
  it("builds a STREAM state with a clean descriptor and the record count as sourceStats", () => {
    expect(streamStateMessage({ name: "users", namespace: null }, { id: 3 }, 12)).toEqual({
      type: "STATE",
      state: {
        type: "STREAM",
        stream: { stream_descriptor: { name: "users" }, stream_state: { id: 3 } },
        sourceStats: { recordCount: 12 },
      },
    });
    expect(streamStateMessage({ name: "users" }, { id: 3 }).state).not.toHaveProperty("sourceStats");
  });
});

describe("errorTrace", () => {
  it("sets only the options given", () => {
    const message = errorTrace("Table users is missing", "config_error");
    expect(message.trace.error).toEqual({ message: "Table users is missing", failure_type: "config_error" });
    const withStream = errorTrace("x", "transient_error", { streamDescriptor: { name: "u", namespace: "" } });
    expect(withStream.trace.error?.stream_descriptor).toEqual({ name: "u" });
  });
});

describe("estimateTrace", () => {
  it("rounds to the integers the schema wants, per stream", () => {
    expect(estimateTrace({ name: "u", namespace: "s" }, { rows: 10.4, bytes: 99.6 }).trace.estimate).toEqual({
      name: "u",
      type: "STREAM",
      namespace: "s",
      row_estimate: 10,
      byte_estimate: 100,
    });
  });
});

describe("streamKey and streamDescriptor", () => {
  it("treat a null, absent or empty namespace as the same stream", () => {
    const keys = new Set([
      streamKey({ name: "users" }),
      streamKey({ name: "users", namespace: null }),
      streamKey({ name: "users", namespace: undefined }),
      streamKey({ name: "users", namespace: "" }),
    ]);
    expect(keys.size).toBe(1);
    expect(streamDescriptor({ name: "users", namespace: null })).toEqual({ name: "users" });
    expect(streamDescriptor({ name: "users", namespace: "" })).toEqual({ name: "users" });
  });

  it("tell streams apart by namespace, including names that look like joined keys", () => {
    const keys = [
      streamKey({ name: "users", namespace: "public" }),
      streamKey({ name: "users", namespace: "audit" }),
      streamKey({ name: "users" }),
      streamKey({ name: "public.users" }),
      streamKey({ name: "users", namespace: "public." }),
      streamKey({ name: ".users", namespace: "public" }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(streamDescriptor({ name: "users", namespace: "public" })).toEqual({
      name: "users",
      namespace: "public",
    });
  });
});
