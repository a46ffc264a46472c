import { describe, expect, it } from "vitest";
import protocolSchema from "./airbyte-protocol.schema.json" with { type: "json" };
import { parseLine, serializeMessage } from "./json-lines.js";
import { createProtocolValidator } from "./protocol-validator.js";
import { sampleConfiguredCatalog, sampleMessages } from "./sample-messages.js";
import {
  AirbyteConnectionStatus,
  AirbyteControlMessage,
  AirbyteEstimateTraceMessage,
  AirbyteMessage,
  AirbyteMessageType,
  AirbyteRecordMessageMetaChange,
  AirbyteStateType,
  AirbyteStreamStatus,
  AirbyteStreamStatusReason,
  AirbyteTraceMessage,
  ConfiguredAirbyteCatalog,
  DestinationSyncMode,
  FailureType,
  LogLevel,
  StateInput,
  SyncMode,
} from "./schemas.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A copy with an extra, unknown field in every object, whatever its depth. */
function withUnknownFieldsEverywhere(value: Json, depth = 0): Json {
  if (Array.isArray(value)) return value.map((item) => withUnknownFieldsEverywhere(item, depth + 1));
  if (!isObject(value)) return value;
  const copy: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = withUnknownFieldsEverywhere(item, depth + 1);
  copy.x_weir_unknown = { depth, list: [1, "two", null] };
  return copy;
}

function* pathsOf(value: Json, path: Path = []): Generator<Path> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      yield [...path, index];
      yield* pathsOf(item, [...path, index]);
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      yield [...path, key];
      yield* pathsOf(item, [...path, key]);
    }
  }
}

const DELETE = Symbol("delete");

function mutated(value: Json, path: Path, replacement: Json | typeof DELETE): Json {
  const copy = structuredClone(value);
  let parent: Json = copy;
  for (const segment of path.slice(0, -1))
    parent = (parent as Record<string | number, Json>)[segment] as Json;
  const last = path[path.length - 1] as string | number;
  if (replacement !== DELETE) (parent as Record<string | number, Json>)[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete (parent as Record<string, Json>)[last];
  return copy;
}

const validate = createProtocolValidator();
const samples = Object.entries(sampleMessages) as [string, Json][];

describe("the zod schemas on a message of every type", () => {
  it.each(samples)("parse %s and keep unknown fields at every level", (_name, sample) => {
    const message = withUnknownFieldsEverywhere(sample);
    expect(validate(message)).toEqual([]);
    expect(AirbyteMessage.parse(message)).toEqual(message);
  });

  it.each(samples)("round-trip %s through serializeMessage and parseLine", (_name, sample) => {
    const message = withUnknownFieldsEverywhere(sample) as AirbyteMessage;
    const line = serializeMessage(message);
    expect(line).not.toContain("\n");
    const parsed = parseLine(line);
    expect(parsed).toEqual({ kind: "message", message });
    if (parsed.kind === "message") expect(serializeMessage(parsed.message)).toBe(line);
  });
});

// The differential test below breaks every field of every sample in several ways and asks both
// the official schema and our zod schemas. They must agree, except where schemas.ts is lenient
// on purpose; and zod must never be stricter than the official schema.
const MUTATIONS: readonly (Json | typeof DELETE)[] = [DELETE, "ZZZ_NOT_AN_ENUM", 1.5, 7, true, [], {}];

/** Where zod accepts what the official schema refuses, by design. */
function deliberatelyLenient(path: string, replacement: Json | typeof DELETE): boolean {
  // Weir does not run OAuth flows, so a spec's OAuth descriptions pass through unchecked.
  if (/^spec\.(authSpecification|advanced_auth)\./.test(path)) return true;
  // URIs are only shown to users; a malformed one must not make a SPEC message noise.
  if (/^spec\.(documentationUrl|changelogUrl)$/.test(path)) return typeof replacement === "string";
  // Python connectors have been seen sending float emitted_at on records.
  if (path === "record.emitted_at") return replacement === 1.5;
  // State blobs are opaque, and handed back exactly as received, whatever their JSON type.
  return /(^state\.data|\.stream_state|\.shared_state)$/.test(path);
}

const dotted = (path: Path): string =>
  path
    .map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${segment}`))
    .join("")
    .slice(1);

describe("the zod schemas against the official schema", () => {
  it.each(samples)("agree on every broken variant of %s", (_name, sample) => {
    const disagreements: string[] = [];
    for (const path of pathsOf(sample)) {
      for (const replacement of MUTATIONS) {
        const broken = mutated(sample, path, replacement);
        const official = validate(broken).length === 0;
        const ours = AirbyteMessage.safeParse(broken).success;
        const where = dotted(path).replace(/\[\d+\]/g, "");
        if (official === ours || (!official && deliberatelyLenient(where, replacement))) continue;
        const what = replacement === DELETE ? "deleted" : JSON.stringify(replacement);
        disagreements.push(`${dotted(path)} ${what}: official ${official}, zod ${ours}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("agree on every broken variant of a configured catalog, but for the sync-mode defaults", () => {
    const sample = sampleConfiguredCatalog as unknown as Json;
    const disagreements: string[] = [];
    for (const path of pathsOf(sample)) {
      for (const replacement of MUTATIONS) {
        const broken = mutated(sample, path, replacement);
        const official = validate.validateConfiguredCatalog(broken).length === 0;
        const ours = ConfiguredAirbyteCatalog.safeParse(broken).success;
        const where = dotted(path).replace(/\[\d+\]/g, "");
        // The schema declares defaults for both modes yet requires them; zod applies the defaults.
        const defaulted =
          replacement === DELETE && /^streams\.(sync_mode|destination_sync_mode)$/.test(where);
        if (official === ours || (!official && defaulted)) continue;
        const what = replacement === DELETE ? "deleted" : JSON.stringify(replacement);
        disagreements.push(`${dotted(path)} ${what}: official ${official}, zod ${ours}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

// Every enum of the official schema, by where it sits, and the zod enum that must list the same
// values. OAuth enums are left out: specs' OAuth descriptions pass through unchecked.
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  "/definitions/AirbyteMessage/properties/type": AirbyteMessageType.options,
  "/definitions/AirbyteRecordMessageMetaChange/properties/change":
    AirbyteRecordMessageMetaChange.shape.change.options,
  "/definitions/AirbyteRecordMessageMetaChange/properties/reason":
    AirbyteRecordMessageMetaChange.shape.reason.options,
  "/definitions/AirbyteStateType": AirbyteStateType.options,
  "/definitions/AirbyteLogMessage/properties/level": LogLevel.options,
  "/definitions/AirbyteTraceMessage/properties/type": AirbyteTraceMessage.shape.type.options,
  "/definitions/AirbyteErrorTraceMessage/properties/failure_type": FailureType.options,
  "/definitions/AirbyteEstimateTraceMessage/properties/type": AirbyteEstimateTraceMessage.shape.type.options,
  "/definitions/AirbyteStreamStatus": AirbyteStreamStatus.options,
  "/definitions/AirbyteStreamStatusReasonType": AirbyteStreamStatusReason.shape.type.options,
  "/definitions/AirbyteControlMessage/properties/type": AirbyteControlMessage.shape.type.options,
  "/definitions/AirbyteConnectionStatus/properties/status": AirbyteConnectionStatus.shape.status.options,
  "/definitions/SyncMode": SyncMode.options,
  "/definitions/DestinationSyncMode": DestinationSyncMode.options,
};

function* enumsOf(schema: unknown, pointer = ""): Generator<[string, unknown[]]> {
  if (Array.isArray(schema)) {
    for (const [index, item] of schema.entries()) yield* enumsOf(item, `${pointer}/${index}`);
  } else if (typeof schema === "object" && schema !== null) {
    for (const [key, item] of Object.entries(schema)) {
      if (key === "enum" && Array.isArray(item)) yield [pointer, item];
      else yield* enumsOf(item, `${pointer}/${key}`);
    }
  }
}

describe("the zod enums", () => {
  it("list exactly the values of every enum of the official schema", () => {
    const official = Object.fromEntries(
      [...enumsOf(protocolSchema)].filter(([pointer]) => !/auth_type|auth_flow_type/.test(pointer)),
    );
    expect(Object.keys(official).sort()).toEqual(Object.keys(ENUMS).sort());
    for (const [pointer, values] of Object.entries(ENUMS))
      expect([pointer, values]).toEqual([pointer, official[pointer]]);
  });
});

type SchemaNode = { $ref?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode };
const definitions = protocolSchema.definitions as unknown as Record<string, SchemaNode>;

/** Marks `/definitions/X/properties/y` for every property of the schema the value sets. */
function markCoverage(node: SchemaNode, pointer: string, value: unknown, seen: Set<string>): void {
  if (node.$ref !== undefined) {
    const name = node.$ref.replace("#/definitions/", "");
    markCoverage(definitions[name] as SchemaNode, `/definitions/${name}`, value, seen);
  } else if (Array.isArray(value) && node.items !== undefined) {
    for (const item of value) markCoverage(node.items, `${pointer}/items`, item, seen);
  } else if (isObject(value) && node.properties !== undefined) {
    for (const [key, child] of Object.entries(node.properties)) {
      if (!(key in value)) continue;
      seen.add(`${pointer}/properties/${key}`);
      markCoverage(child, `${pointer}/properties/${key}`, value[key], seen);
    }
  }
}

describe("the samples", () => {
  it("set every property of every non-OAuth definition, so the tests above see them all", () => {
    const seen = new Set<string>();
    const root = (name: string): SchemaNode => ({ $ref: `#/definitions/${name}` });
    for (const sample of Object.values(sampleMessages))
      markCoverage(root("AirbyteMessage"), "", sample, seen);
    markCoverage(root("ConfiguredAirbyteCatalog"), "", sampleConfiguredCatalog, seen);
    const missing = Object.entries(definitions)
      .filter(([name]) => !/OAuth/.test(name))
      .flatMap(([name, node]) =>
        Object.keys(node.properties ?? {}).map((key) => `/definitions/${name}/properties/${key}`),
      )
      .filter((pointer) => !seen.has(pointer));
    expect(missing).toEqual([]);
  });
});

describe("the zod schemas' deliberate leniencies", () => {
  it("accept null where the schema says absent, as real connectors send it", () => {
    const record = {
      type: "RECORD",
      record: { namespace: null, stream: "u", data: {}, emitted_at: 1, meta: null },
    };
    expect(AirbyteMessage.safeParse(record).success).toBe(true);
    const reset = {
      type: "STATE",
      state: { type: "STREAM", stream: { stream_descriptor: { name: "u" }, stream_state: null } },
    };
    expect(AirbyteMessage.parse(reset)).toEqual(reset);
  });

  it("fill in the documented defaults of a configured stream", () => {
    const stream = { name: "u", json_schema: {}, supported_sync_modes: ["full_refresh"] };
    const parsed = ConfiguredAirbyteCatalog.parse({ streams: [{ stream }] });
    expect(parsed.streams[0]).toMatchObject({ sync_mode: "full_refresh", destination_sync_mode: "append" });
  });

  it("refuse record data that is not an object", () => {
    for (const data of [[], "x", null, 1]) {
      const record = { type: "RECORD", record: { stream: "u", data, emitted_at: 1 } };
      expect(AirbyteMessage.safeParse(record).success).toBe(false);
    }
  });
});

describe("StateInput", () => {
  it("takes an array of state messages, or a legacy blob", () => {
    const states = [sampleMessages["STATE STREAM"].state, sampleMessages["STATE GLOBAL"].state];
    expect(StateInput.parse(states)).toEqual(states);
    expect(StateInput.parse({ users: { cursor: 0 } })).toEqual({ users: { cursor: 0 } });
  });

  it("refuses what is neither", () => {
    for (const input of ["state", 1, null, [1], [{ type: "PER_STREAM" }]]) {
      expect(StateInput.safeParse(input).success).toBe(false);
    }
  });
});
