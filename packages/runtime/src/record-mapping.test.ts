import type { AirbyteRecordMessage, ConfiguredAirbyteCatalog, ConnectorInvocation } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import type { ConnectorHandle } from "./connector-handle.js";
import { createInProcessHandle } from "./in-process-handle.js";
import type { MappedOutcome, StreamRecordMapper } from "./record-mapping.js";
import { runSync } from "./sync-driver.js";
import {
  countingSource,
  type DestinationProbe,
  recordingDestination,
} from "./test-fixtures/in-process-connectors.js";
import { fixtureDestination, fixtureSource, usersCatalog } from "./test-fixtures/protocol-fixtures.js";

/** Keeps even ids, doubled; `failAt` makes the batch holding that id fail. */
function evenDoubler(failAt?: number): StreamRecordMapper & { batches: number } {
  const mapper = {
    stream: { name: "users" },
    schema: { type: "object", properties: { id: { type: "integer" }, doubled: { type: "boolean" } } },
    batches: 0,
    mapBatch(records: readonly AirbyteRecordMessage[]): MappedOutcome {
      mapper.batches++;
      const out: AirbyteRecordMessage[] = [];
      for (const record of records) {
        const id = record.data.id as number;
        if (id === failAt)
          return { ok: false, failure: { type: "system_error", message: `decrypt: users.id at ${id}` } };
        if (id % 2 === 0) out.push({ ...record, data: { id: id * 2, doubled: true } });
      }
      return {
        ok: true,
        value: { records: out, filtered: records.length - out.length, invalid: 0, warnings: [] },
      };
    },
  };
  return mapper;
}

/** Remembers the catalog each run of a handle was given. */
function catalogTap(handle: ConnectorHandle, seen: ConfiguredAirbyteCatalog[]): ConnectorHandle {
  return {
    description: handle.description,
    run(invocation: ConnectorInvocation, options) {
      if (invocation.command === "write") seen.push(invocation.catalog);
      return handle.run(invocation, options);
    },
  };
}

describe("runSync with mappers", () => {
  it("maps each stream's records, counts the filtered ones, and tells the destination the mapped schema", async () => {
    const probe: DestinationProbe = { written: [], maxLag: 0, closed: undefined };
    const catalogs: ConfiguredAirbyteCatalog[] = [];
    const mapper = evenDoubler();
    const result = await runSync({
      source: { handle: createInProcessHandle(countingSource()), config: { count: 40, chunk: 10 } },
      destination: {
        handle: catalogTap(
          createInProcessHandle(recordingDestination(probe), { flushIntervalMs: 0 }),
          catalogs,
        ),
        config: {},
      },
      catalog: usersCatalog,
      mappers: [mapper],
    });
    expect(result.status).toBe("succeeded");
    expect(probe.written.map((r) => r.data.id)).toEqual(Array.from({ length: 20 }, (_, k) => (k + 1) * 4));
    expect(result.streams[0]).toMatchObject({
      recordsEmitted: 40,
      recordsCommitted: 40,
      recordsFiltered: 20,
    });
    expect(result.state[0]?.stream?.stream_state).toEqual({ cursor: 40 });
    expect(catalogs[0]?.streams[0]?.stream.json_schema).toEqual(mapper.schema);
    // One call per run of records between two states, not one per record.
    expect(mapper.batches).toBe(4);
  });

  it("maps records read off a pipe, whose data is parsed only for the mappers", async () => {
    const probe: DestinationProbe = { written: [], maxLag: 0, closed: undefined };
    const result = await runSync({
      source: { handle: fixtureSource(), config: { records: 12, stateEvery: 5 } },
      destination: {
        handle: createInProcessHandle(recordingDestination(probe), { flushIntervalMs: 0 }),
        config: {},
      },
      catalog: usersCatalog,
      mappers: [evenDoubler()],
      heartbeatTimeoutMs: 10_000,
    });
    expect(result.status).toBe("succeeded");
    expect(probe.written.map((r) => r.data)).toEqual(
      [2, 4, 6, 8, 10, 12].map((id) => ({ id: id * 2, doubled: true })),
    );
  });

  it("fails the sync when a mapper fails, and commits only what came before", async () => {
    const result = await runSync({
      source: { handle: fixtureSource(), config: { records: 30, stateEvery: 5 } },
      destination: { handle: fixtureDestination(), config: { echo: "all" } },
      catalog: usersCatalog,
      mappers: [evenDoubler(17)],
      heartbeatTimeoutMs: 10_000,
    });
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({
      type: "system_error",
      origin: "platform",
      message: "decrypt: users.id at 17",
    });
    const cursor = (result.state[0]?.stream?.stream_state as { cursor: number } | undefined)?.cursor ?? 0;
    expect(cursor).toBeLessThan(17);
  });
});
