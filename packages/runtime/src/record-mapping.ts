import {
  type AirbyteMessage,
  type AirbyteRecordMessage,
  type ConfiguredAirbyteCatalog,
  plainRecordMessage,
  streamKey,
} from "@weir/protocol";
import type { StreamCounters } from "./stream-counters.js";
import type { SyncFailure } from "./sync-types.js";

const recordKey = (record: AirbyteRecordMessage): string =>
  streamKey({ name: record.stream, namespace: record.namespace });

/** What one batch of a stream's records became (the shape of @weir/mappers' MappedBatch). */
export interface MappedRecords {
  readonly records: readonly AirbyteRecordMessage[];
  readonly filtered: number;
  readonly invalid: number;
  readonly warnings: readonly string[];
}

export type MappedOutcome =
  | { readonly ok: true; readonly value: MappedRecords }
  | {
      readonly ok: false;
      readonly failure: { readonly type: SyncFailure["type"]; readonly message: string };
    };

/**
 * A stream's record mappers as the driver sees them: @weir/mappers' compileStreamMappers
 * returns one. Example: `{ stream: { name: "users" }, schema, mapBatch: (records) => … }`.
 */
export interface StreamRecordMapper {
  readonly stream: { readonly name: string; readonly namespace?: string | null | undefined };
  /** The stream's JSON schema after the mappers: what the destination is told to create. */
  readonly schema: Record<string, unknown>;
  mapBatch(records: readonly AirbyteRecordMessage[]): MappedOutcome | Promise<MappedOutcome>;
}

/** The catalog the destination gets: each mapped stream with its schema as the mappers leave it. */
export function mappedCatalog(
  catalog: ConfiguredAirbyteCatalog,
  mappers: readonly StreamRecordMapper[],
): ConfiguredAirbyteCatalog {
  if (mappers.length === 0) return catalog;
  const schemas = new Map(mappers.map((m) => [streamKey(m.stream), m.schema]));
  return {
    ...catalog,
    streams: catalog.streams.map((configured) => {
      const schema = schemas.get(streamKey(configured.stream));
      return schema === undefined
        ? configured
        : { ...configured, stream: { ...configured.stream, json_schema: schema } };
    }),
  };
}

/**
 * Runs each stream's mappers over its records in a batch, keeping every other message where it
 * is: a STATE still follows exactly the records it covers. Records filtered out are counted on
 * their stream; the checkpoint that covers them still commits them as read.
 */
export class RecordMapping {
  readonly #byKey: Map<string, StreamRecordMapper>;
  readonly #counters: StreamCounters;
  readonly #warn: (message: string) => void;

  constructor(
    mappers: readonly StreamRecordMapper[],
    counters: StreamCounters,
    warn: (message: string) => void,
  ) {
    this.#byKey = new Map(mappers.map((m) => [streamKey(m.stream), m]));
    this.#counters = counters;
    this.#warn = warn;
  }

  get isEmpty(): boolean {
    return this.#byKey.size === 0;
  }

  /** The batch with its records mapped, or the failure of a mapper. */
  async apply(
    batch: readonly AirbyteMessage[],
  ): Promise<{ ok: true; value: AirbyteMessage[] } | { ok: false; failure: SyncFailure }> {
    const out: AirbyteMessage[] = [];
    let at = 0;
    while (at < batch.length) {
      const message = batch[at] as AirbyteMessage;
      const mapper = message.type === "RECORD" ? this.#byKey.get(recordKey(message.record)) : undefined;
      if (mapper === undefined || message.type !== "RECORD") {
        out.push(message);
        at++;
        continue;
      }
      // The run of consecutive records of this stream goes to its mappers in one call.
      const key = recordKey(message.record);
      const run: AirbyteRecordMessage[] = [];
      while (at < batch.length) {
        const next = batch[at] as AirbyteMessage;
        if (next.type !== "RECORD" || recordKey(next.record) !== key) break;
        // Mappers copy records: a record read off a pipe is made a plain object first.
        run.push((plainRecordMessage(next) as { record: AirbyteRecordMessage }).record);
        at++;
      }
      const outcome = await mapper.mapBatch(run);
      if (!outcome.ok) {
        return {
          ok: false,
          failure: { type: outcome.failure.type, origin: "platform", message: outcome.failure.message },
        };
      }
      const { records, filtered, invalid, warnings } = outcome.value;
      const stats = this.#counters.stats(mapper.stream);
      if (stats !== undefined) {
        stats.recordsFiltered += filtered;
        stats.recordsInvalid += invalid;
      }
      for (const warning of warnings) this.#warn(warning);
      for (const record of records) out.push({ type: "RECORD", record });
    }
    return { ok: true, value: out };
  }
}
