import { type DestinationConnector, defineDestination, defineSource, type SourceConnector } from "@weir/cdk";
import { streamKey } from "@weir/protocol";

// A destination that keeps its tables in a Map, and the source that reads them back: the
// smallest real pair for the write checks. `faults` make it wrong the ways destinations are.

export type Tables = Map<string, Record<string, unknown>[]>;

export interface DestinationFaults {
  /** Overwrite adds to the old rows instead of replacing them. */
  readonly overwriteAppends?: boolean;
  /** The last record of each write is lost. */
  readonly dropLast?: boolean;
}

const spec = {
  supported_destination_sync_modes: ["append", "overwrite", "append_dedup"] as (
    | "append"
    | "overwrite"
    | "append_dedup"
  )[],
  connectionSpecification: { type: "object", properties: { table_prefix: { type: "string" } } },
};

/** Example: `memoryDestination(tables, { overwriteAppends: true })`. */
export function memoryDestination(tables: Tables, faults: DestinationFaults = {}): DestinationConnector {
  return defineDestination({
    name: "destination-memory",
    version: "0.0.1",
    spec,
    async open({ catalog }) {
      const pending = new Map<string, Record<string, unknown>[]>();
      return {
        write(records) {
          for (const record of records) {
            const key = streamKey({ name: record.stream, namespace: record.namespace });
            pending.set(key, [...(pending.get(key) ?? []), record.data]);
          }
        },
        async flush() {},
        async close(result) {
          if (!result.ok) return;
          for (const configured of catalog.streams) {
            const key = streamKey(configured.stream);
            let rows = pending.get(key) ?? [];
            if (faults.dropLast === true) rows = rows.slice(0, -1);
            const old = tables.get(key) ?? [];
            const mode = configured.destination_sync_mode;
            if (mode === "overwrite" && faults.overwriteAppends !== true) tables.set(key, rows);
            else if (mode === "append_dedup") {
              const byId = new Map(old.map((r) => [String(r.id), r]));
              for (const row of rows) byId.set(String(row.id), row);
              tables.set(key, [...byId.values()]);
            } else tables.set(key, [...old, ...rows]);
          }
        },
        // Everything becomes visible at close, so the states wait for it.
        deferredStreams: new Set(catalog.streams.map((c) => streamKey(c.stream))),
      };
    },
  });
}

/** Reads every table back, one stream each. */
export function memoryReadBack(tables: Tables): SourceConnector {
  return defineSource({
    name: "source-memory",
    version: "0.0.1",
    spec: { connectionSpecification: { type: "object" } },
    streams: () =>
      [...tables.keys()].map((name) => ({
        name,
        jsonSchema: { type: "object" },
        supportedSyncModes: ["full_refresh" as const],
        async *read() {
          yield { records: tables.get(name) ?? [] };
        },
      })),
  });
}
