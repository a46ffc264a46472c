import type {
  AirbyteLogMessage,
  AirbyteStateMessage,
  AirbyteStreamStatus,
  ConfiguredAirbyteCatalog,
  FailureType,
  StateInput,
} from "@weir/protocol";
import type { ConnectorHandle } from "./connector-handle.js";
import type { StreamRecordMapper } from "./record-mapping.js";

/** Which side of a sync a failure or log line comes from. */
export type SyncOrigin = "source" | "destination" | "platform";

/** A classified failure with what the user reads and what an engineer needs. */
export interface SyncFailure {
  readonly type: FailureType;
  readonly origin: SyncOrigin;
  readonly message: string;
  readonly internalMessage?: string;
}

/** One line of the attempt's log. */
export interface SyncLogEntry {
  readonly origin: SyncOrigin;
  readonly level: AirbyteLogMessage["level"];
  readonly message: string;
  readonly at: number;
}

/** Per-stream counters. `recordsCommitted` only grows when the destination echoes a state. */
export interface StreamStats {
  readonly name: string;
  readonly namespace: string | undefined;
  recordsEmitted: number;
  recordsCommitted: number;
  bytesEmitted: number;
  /** Records the stream's mappers filtered out (read and committed, never written). */
  recordsFiltered: number;
  /** Records that did not match the stream's schema (kept in `warn` mode, dropped in `skip` mode). */
  recordsInvalid: number;
  /** Last status the source reported, if any. */
  status: AirbyteStreamStatus | undefined;
  /** Rows the source estimated for this run, if it said. */
  rowEstimate: number | undefined;
}

export interface SyncProgress {
  readonly elapsedMs: number;
  readonly streams: readonly StreamStats[];
}

export interface SyncOptions {
  readonly source: { readonly handle: ConnectorHandle; readonly config: unknown };
  readonly destination: { readonly handle: ConnectorHandle; readonly config: unknown };
  readonly catalog: ConfiguredAirbyteCatalog;
  /** State handed to the source's `read` (`--state`), exactly as stored. */
  readonly state?: StateInput | undefined;
  /** Abort to stop the sync: the source is stopped, the destination drained, echoed states committed. */
  readonly signal?: AbortSignal;
  /** A connector silent (no message at all) for this long fails the attempt. Default 10 minutes. */
  readonly heartbeatTimeoutMs?: number;
  /**
   * After a cancellation, how long the destination may take to finish what was already queued
   * (and echo its states) before it is killed. Default 60 s, as Airbyte's platform waits.
   */
  readonly cancelGraceMs?: number;
  /** Called with the committed state (the whole current state, ready to store) after each echo, in order. */
  readonly onStateCommitted?: (state: readonly AirbyteStateMessage[]) => Promise<void> | void;
  /** Called at most every `progressIntervalMs` (default 250 ms) and once at the end. */
  readonly onProgress?: (progress: SyncProgress) => void;
  readonly progressIntervalMs?: number;
  readonly onLog?: (entry: SyncLogEntry) => void;
  /** Per stream, mappers run on its records between source and destination (see @weir/mappers). */
  readonly mappers?: readonly StreamRecordMapper[] | undefined;
}

export interface SyncResult {
  readonly status: "succeeded" | "failed" | "cancelled";
  readonly failure?: SyncFailure;
  readonly durationMs: number;
  readonly streams: readonly StreamStats[];
  /** The committed state after this run: what the next run hands the source. */
  readonly state: readonly AirbyteStateMessage[];
  /** Things the user should know, e.g. "the destination echoed no state: nothing was committed". */
  readonly notes: readonly string[];
}
