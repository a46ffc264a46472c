import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectorLogger, WriteContext } from "@weir/cdk";
import { messageInput, runInProcess } from "@weir/cdk/testing";
import type {
  AirbyteMessage,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  DestinationSyncMode,
} from "@weir/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { destinationJsonl } from "./destination-jsonl.js";
import type { JsonlDestinationConfig } from "./destination-jsonl-spec.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-destination-jsonl-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const configured = (
  name: string,
  mode: DestinationSyncMode,
  extra: Partial<ConfiguredAirbyteStream> = {},
  namespace?: string,
): ConfiguredAirbyteStream => ({
  stream: {
    name,
    json_schema: {},
    supported_sync_modes: ["full_refresh"],
    ...(namespace ? { namespace } : {}),
  },
  sync_mode: "full_refresh",
  destination_sync_mode: mode,
  ...extra,
});

const record = (stream: string, data: Record<string, unknown>, namespace?: string): AirbyteMessage => ({
  type: "RECORD",
  record: { stream, data, emitted_at: 1_700_000_000_000, ...(namespace ? { namespace } : {}) },
});
const state = (stream: string, n: number): AirbyteMessage => ({
  type: "STATE",
  state: { type: "STREAM", stream: { stream_descriptor: { name: stream }, stream_state: { n } } },
});
const complete = (stream: string, namespace?: string): AirbyteMessage => ({
  type: "TRACE",
  trace: {
    type: "STREAM_STATUS",
    emitted_at: 1,
    stream_status: {
      stream_descriptor: { name: stream, ...(namespace ? { namespace } : {}) },
      status: "COMPLETE",
    },
  },
});

const write = (catalog: ConfiguredAirbyteCatalog, messages: AirbyteMessage[]) =>
  runInProcess(destinationJsonl, {
    command: "write",
    config: { destination_path: dir },
    catalog,
    input: messageInput(messages, 3),
  });

const readLines = async (path: string): Promise<Record<string, unknown>[]> =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const silent: ConnectorLogger = { log: () => {} };
const context = (catalog: ConfiguredAirbyteCatalog): WriteContext<JsonlDestinationConfig> => ({
  config: { destination_path: dir },
  catalog,
  logger: silent,
  signal: new AbortController().signal,
});

describe("destination-jsonl", () => {
  it("writes one Destinations V2 raw line per record, one file per stream, namespaces as folders", async () => {
    const catalog = {
      streams: [
        configured("users", "append", { sync_id: 42, generation_id: 3, minimum_generation_id: 0 }),
        configured("orders", "append", {}, "shop"),
      ],
    };
    const result = await write(catalog, [
      record("users", { id: 1, name: "Ada" }),
      {
        type: "RECORD",
        record: {
          stream: "users",
          data: { id: 2 },
          emitted_at: 5,
          meta: { changes: [{ field: "name", change: "NULLED", reason: "SOURCE_FIELD_SIZE_LIMITATION" }] },
        },
      },
      record("orders", { id: 9 }, "shop"),
      state("users", 1),
    ]);
    expect(result.errors).toEqual([]);
    expect(result.states).toHaveLength(1);
    const users = await readLines(join(dir, "users.jsonl"));
    expect(users).toEqual([
      {
        _airbyte_raw_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        _airbyte_extracted_at: 1_700_000_000_000,
        _airbyte_meta: { sync_id: 42, changes: [] },
        _airbyte_generation_id: 3,
        _airbyte_data: { id: 1, name: "Ada" },
      },
      {
        _airbyte_raw_id: expect.any(String),
        _airbyte_extracted_at: 5,
        _airbyte_meta: {
          sync_id: 42,
          changes: [{ field: "name", change: "NULLED", reason: "SOURCE_FIELD_SIZE_LIMITATION" }],
        },
        _airbyte_generation_id: 3,
        _airbyte_data: { id: 2 },
      },
    ]);
    expect(Object.keys(users[0] ?? {})).toEqual([
      "_airbyte_raw_id",
      "_airbyte_extracted_at",
      "_airbyte_meta",
      "_airbyte_generation_id",
      "_airbyte_data",
    ]);
    expect((await readLines(join(dir, "shop", "orders.jsonl"))).map((l) => l._airbyte_data)).toEqual([
      { id: 9 },
    ]);
  });

  it("appends to what an earlier run wrote", async () => {
    const catalog = { streams: [configured("users", "append")] };
    await write(catalog, [record("users", { id: 1 }), complete("users")]);
    await write(catalog, [record("users", { id: 2 }), complete("users")]);
    expect((await readLines(join(dir, "users.jsonl"))).map((l) => l._airbyte_data)).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });

  it("replaces the file on overwrite, and still echoes the stream's state", async () => {
    const catalog = { streams: [configured("users", "overwrite")] };
    await write(catalog, [record("users", { id: 1 }), complete("users")]);
    const result = await write(catalog, [record("users", { id: 2 }), state("users", 1), complete("users")]);
    expect(result.states).toHaveLength(1);
    expect((await readLines(join(dir, "users.jsonl"))).map((l) => l._airbyte_data)).toEqual([{ id: 2 }]);
    expect(await readdir(dir)).toEqual(["users.jsonl"]);
  });

  it("treats append with minimum_generation_id = generation_id as a truncate", async () => {
    const catalog = {
      streams: [configured("users", "append", { generation_id: 2, minimum_generation_id: 2 })],
    };
    await writeFile(join(dir, "users.jsonl"), '{"_airbyte_data":{"id":0}}\n');
    await write(catalog, [record("users", { id: 1 }), complete("users")]);
    expect((await readLines(join(dir, "users.jsonl"))).map((l) => l._airbyte_data)).toEqual([{ id: 1 }]);
  });

  it("keeps the old file of an overwrite until close, and for good when the stream did not complete", async () => {
    const catalog = { streams: [configured("users", "overwrite")] };
    const path = join(dir, "users.jsonl");
    await writeFile(path, '{"_airbyte_data":{"id":"old"}}\n');

    const writer = await destinationJsonl.open(context(catalog));
    expect([...(writer.deferredStreams ?? [])]).toEqual(["users"]);
    await writer.write([{ stream: "users", data: { id: "new" }, emitted_at: 1 }]);
    await writer.flush();
    expect(await readFile(path, "utf8")).toBe('{"_airbyte_data":{"id":"old"}}\n');
    await writer.close({ ok: true, completeStreams: new Set(["users"]) });
    expect((await readLines(path)).map((l) => l._airbyte_data)).toEqual([{ id: "new" }]);

    for (const result of [
      { ok: true, completeStreams: new Set<string>() },
      { ok: false, completeStreams: new Set(["users"]) },
    ]) {
      const failing = await destinationJsonl.open(context(catalog));
      await failing.write([{ stream: "users", data: { id: "half" }, emitted_at: 1 }]);
      await failing.flush();
      await failing.close(result);
      expect((await readLines(path)).map((l) => l._airbyte_data)).toEqual([{ id: "new" }]);
      expect(await readdir(dir)).toEqual(["users.jsonl"]);
    }
  });

  it("has everything written on disk after flush, before close", async () => {
    const catalog = { streams: [configured("users", "append")] };
    const writer = await destinationJsonl.open(context(catalog));
    const many = Array.from({ length: 5000 }, (_, i) => ({ stream: "users", data: { i }, emitted_at: 1 }));
    await writer.write(many);
    await writer.flush();
    const lines = await readLines(join(dir, "users.jsonl"));
    expect(lines.map((l) => (l._airbyte_data as { i: number }).i)).toEqual(many.map((r) => r.data.i));
    await writer.close({ ok: true, completeStreams: new Set(["users"]) });
  });

  it("cuts a torn last line left by a crash before appending", async () => {
    const path = join(dir, "users.jsonl");
    await writeFile(path, '{"_airbyte_data":{"id":1}}\n{"_airbyte_data":{"id":2');
    const messages: string[] = [];
    const writer = await destinationJsonl.open({
      ...context({ streams: [configured("users", "append")] }),
      logger: { log: (_level, message) => messages.push(message) },
    });
    await writer.write([{ stream: "users", data: { id: 3 }, emitted_at: 1 }]);
    await writer.close({ ok: true, completeStreams: new Set(["users"]) });
    expect((await readLines(path)).map((l) => l._airbyte_data)).toEqual([{ id: 1 }, { id: 3 }]);
    expect(messages.some((m) => m.includes("torn"))).toBe(true);
  });

  it("refuses append_dedup, naming the stream and the mode", async () => {
    const result = await write({ streams: [configured("users", "append_dedup")] }, [
      record("users", { id: 1 }),
    ]);
    expect(result.errors[0]?.failure_type).toBe("config_error");
    expect(result.errors[0]?.message).toContain("append_dedup");
    expect(result.errors[0]?.message).toContain("users");
  });

  it("percent-encodes stream names that are not safe file names", async () => {
    const catalog = { streams: [configured("a/b", "append"), configured(".hidden", "append")] };
    await write(catalog, [record("a/b", { id: 1 }), record(".hidden", { id: 2 })]);
    expect((await readdir(dir)).sort()).toEqual(["%2Ehidden.jsonl", "a%2Fb.jsonl"]);
  });

  it("checks that the folder can be written", async () => {
    const ok = await runInProcess(destinationJsonl, {
      command: "check",
      config: { destination_path: join(dir, "new") },
    });
    expect(ok.connectionStatus?.status).toBe("SUCCEEDED");
    await writeFile(join(dir, "file"), "");
    const bad = await runInProcess(destinationJsonl, {
      command: "check",
      config: { destination_path: join(dir, "file", "below") },
    });
    expect(bad.connectionStatus?.status).toBe("FAILED");
    expect(bad.connectionStatus?.message).toContain("destination_path");
  });
});
