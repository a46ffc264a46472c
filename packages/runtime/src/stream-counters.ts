import {
  type AirbyteStateMessage,
  type AirbyteStreamStatus,
  type ConfiguredAirbyteCatalog,
  type RecordMessage,
  rawLineLength,
  streamKey,
} from "@weir/protocol";
import { stateKind } from "./state-ledger.js";
import type { StreamStats } from "./sync-types.js";

// Records that arrive as objects (in-process sources) have no line to measure: one in this many
// is serialised and the others are counted at the running average of those.
const SAMPLE_EVERY = 64;

interface Counter {
  readonly key: string;
  readonly stats: StreamStats;
  /** Records since this stream's last checkpoint. */
  sinceState: number;
  sampledChars: number;
  sampledCount: number;
  objects: number;
}

/** A stream for messages, e.g. `"public.users"`. */
export const describeStream = (s: {
  readonly name: string;
  readonly namespace?: string | null | undefined;
}): string => (s.namespace ? `"${s.namespace}.${s.name}"` : `"${s.name}"`);

/** Records of a stream the catalog does not configure: counted, never forwarded. */
export interface UnknownStream {
  readonly name: string;
  readonly namespace: string | undefined;
  records: number;
}

/**
 * Per-stream counters of one sync. `bytesEmitted` is the size of the RECORD messages as JSON
 * lines, in characters: exact for records read off a pipe (the line the codec saw), estimated
 * from a sample for records passed as objects.
 */
export class StreamCounters {
  readonly #byKey = new Map<string, Counter>();
  readonly #unknown = new Map<string, UnknownStream>();
  readonly #onUnknown: (stream: UnknownStream) => void;
  // Records come in runs of one stream: remembering the last lookup skips building a key.
  #lastName: string | undefined;
  #lastNamespace: string | null | undefined;
  #last: Counter | undefined;

  constructor(catalog: ConfiguredAirbyteCatalog, onUnknown: (stream: UnknownStream) => void) {
    this.#onUnknown = onUnknown;
    for (const configured of catalog.streams) {
      const { name, namespace } = configured.stream;
      const key = streamKey(configured.stream);
      if (this.#byKey.has(key)) continue;
      const stats: StreamStats = {
        name,
        namespace: namespace == null || namespace === "" ? undefined : namespace,
        recordsEmitted: 0,
        recordsCommitted: 0,
        bytesEmitted: 0,
        recordsFiltered: 0,
        recordsInvalid: 0,
        status: undefined,
        rowEstimate: undefined,
      };
      this.#byKey.set(key, { key, stats, sinceState: 0, sampledChars: 0, sampledCount: 0, objects: 0 });
    }
  }

  /** Counts a record; returns its size, or -1 when its stream is not configured (drop it). */
  record(message: RecordMessage): number {
    const record = message.record;
    let counter: Counter | undefined;
    if (record.stream === this.#lastName && record.namespace === this.#lastNamespace) counter = this.#last;
    else {
      counter = this.#byKey.get(streamKey({ name: record.stream, namespace: record.namespace }));
      this.#lastName = record.stream;
      this.#lastNamespace = record.namespace;
      this.#last = counter;
    }
    if (counter === undefined) {
      this.#countUnknown(record.stream, record.namespace);
      return -1;
    }
    const raw = rawLineLength(message);
    let size: number;
    if (raw >= 0) size = raw + 1;
    else if (counter.objects++ % SAMPLE_EVERY === 0) {
      size = JSON.stringify(message).length + 1;
      counter.sampledChars += size;
      counter.sampledCount++;
    } else size = counter.sampledChars / counter.sampledCount;
    counter.stats.recordsEmitted++;
    counter.stats.bytesEmitted += size;
    counter.sinceState++;
    return size;
  }

  /**
   * Closes the records a source checkpoint covers, as Airbyte counts them: a STREAM state
   * covers its stream's records since that stream's previous state; a GLOBAL or LEGACY state
   * covers every stream's. Returns the counts per stream key.
   */
  checkpoint(state: AirbyteStateMessage): Map<string, number> {
    const counts = new Map<string, number>();
    const close = (counter: Counter) => {
      if (counter.sinceState > 0) counts.set(counter.key, counter.sinceState);
      counter.sinceState = 0;
    };
    if (stateKind(state) === "STREAM") {
      const descriptor = state.stream?.stream_descriptor;
      const counter = descriptor === undefined ? undefined : this.#byKey.get(streamKey(descriptor));
      if (counter !== undefined) close(counter);
    } else for (const counter of this.#byKey.values()) close(counter);
    return counts;
  }

  /** Adds records that became committed. */
  commit(counts: ReadonlyMap<string, number>): void {
    for (const [key, count] of counts) {
      const counter = this.#byKey.get(key);
      if (counter !== undefined) counter.stats.recordsCommitted += count;
    }
  }

  /** The configured stream's stats, or undefined for a stream not in the catalog. */
  stats(descriptor: {
    readonly name: string;
    readonly namespace?: string | null | undefined;
  }): StreamStats | undefined {
    return this.#byKey.get(streamKey(descriptor))?.stats;
  }

  /** Configured streams without a final status (COMPLETE or INCOMPLETE) from the source. */
  unfinished(): StreamStats[] {
    const out: StreamStats[] = [];
    for (const { stats } of this.#byKey.values()) {
      const status: AirbyteStreamStatus | undefined = stats.status;
      if (status !== "COMPLETE" && status !== "INCOMPLETE") out.push(stats);
    }
    return out;
  }

  /** A copy of every configured stream's stats, in catalog order, bytes rounded. */
  snapshot(): StreamStats[] {
    return [...this.#byKey.values()].map(({ stats }) => ({
      ...stats,
      bytesEmitted: Math.round(stats.bytesEmitted),
    }));
  }

  unknownStreams(): readonly UnknownStream[] {
    return [...this.#unknown.values()];
  }

  #countUnknown(name: string, namespace: string | null | undefined): void {
    const key = streamKey({ name, namespace });
    const known = this.#unknown.get(key);
    if (known !== undefined) {
      known.records++;
      return;
    }
    const stream: UnknownStream = { name, namespace: namespace || undefined, records: 1 };
    this.#unknown.set(key, stream);
    this.#onUnknown(stream);
  }
}
