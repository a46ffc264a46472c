import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { messageInput, runInProcess } from "@weir/cdk/testing";
import { destinationJsonl } from "@weir/destination-jsonl";
import type {
  AirbyteMessage,
  AirbyteStateMessage,
  ConfiguredAirbyteCatalog,
  DestinationSyncMode,
} from "@weir/protocol";
import { sourceFaker } from "@weir/source-faker";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sourceJsonl } from "./source-jsonl.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "weir-jsonl-round-trip-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configuredCatalog(
  connector: typeof sourceFaker | typeof sourceJsonl,
  config: Record<string, unknown>,
  destinationSyncMode: DestinationSyncMode,
): Promise<ConfiguredAirbyteCatalog> {
  const { catalog } = await runInProcess(connector, { command: "discover", config });
  return {
    streams: (catalog?.streams ?? []).map((stream) => ({
      stream,
      sync_mode: "incremental",
      destination_sync_mode: destinationSyncMode,
    })),
  };
}

/** One sync: faker read, its messages into destination-jsonl. */
async function syncFaker(config: Record<string, unknown>, state: AirbyteStateMessage[] | undefined) {
  const catalog = await configuredCatalog(sourceFaker, config, "append");
  const source = await runInProcess(sourceFaker, { command: "read", config, catalog, state });
  expect(source.errors).toEqual([]);
  const destination = await runInProcess(destinationJsonl, {
    command: "write",
    config: { destination_path: dir },
    catalog,
    input: messageInput(source.messages as AirbyteMessage[], 500),
  });
  expect(destination.errors).toEqual([]);
  return source;
}

const lastPerStream = (states: readonly AirbyteStateMessage[]) => {
  const last = new Map<string, AirbyteStateMessage>();
  for (const s of states) last.set(s.stream?.stream_descriptor.name ?? "", s);
  return [...last.values()];
};

const dataByStream = (records: readonly { stream: string; data: Record<string, unknown> }[]) => {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const r of records) out[r.stream] = [...(out[r.stream] ?? []), r.data];
  return out;
};

describe("faker → destination-jsonl → source-jsonl", () => {
  it("reads back exactly the records faker emitted, run after incremental run", async () => {
    const config = { count: 300, seed: 21, always_updated: false };
    const first = await syncFaker(config, undefined);
    const jsonlCatalog = await configuredCatalog(sourceJsonl, { path: dir }, "append");
    const back = await runInProcess(sourceJsonl, {
      command: "read",
      config: { path: dir },
      catalog: jsonlCatalog,
    });
    expect(back.errors).toEqual([]);
    expect(dataByStream(back.records)).toEqual(dataByStream(first.records));

    // The source grows; destination-jsonl appends; source-jsonl's offsets replay only the new lines.
    const second = await syncFaker({ ...config, count: 340 }, lastPerStream(first.states));
    expect(second.records.length).toBeGreaterThan(0);
    const replay = await runInProcess(sourceJsonl, {
      command: "read",
      config: { path: dir },
      catalog: jsonlCatalog,
      state: lastPerStream(back.states),
    });
    expect(dataByStream(replay.records)).toEqual(dataByStream(second.records));
  });
});
