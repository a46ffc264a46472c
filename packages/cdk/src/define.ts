import type {
  AirbyteRecordMessage,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  ConnectorSpecification,
  DestinationSyncMode,
  LogLevel,
  SyncMode,
} from "@weir/protocol";

/** A record's data: one JSON object. */
export type RecordData = Record<string, unknown>;

/** Where a connector writes log lines; in a bin they become LOG messages on stdout. */
export interface ConnectorLogger {
  log(level: LogLevel, message: string): void;
}

/** The answer of `check`: an expected failure is a value, not an exception. */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** What every connector command receives. */
export interface ConnectorContext<Config> {
  readonly config: Config;
  readonly logger: ConnectorLogger;
  /** Aborted when the run is cancelled (Ctrl-C, heartbeat timeout, a failed peer). */
  readonly signal: AbortSignal;
}

/**
 * A slice of one stream's records, and the stream's state once they are delivered.
 * The CDK emits a STATE message after a chunk that carries `state`, at most every
 * `checkpointEvery` records, and always at the end of the stream.
 */
export interface StreamChunk {
  readonly records: readonly RecordData[];
  readonly state?: unknown;
}

/** How a stream is being read in this run. */
export interface StreamReadContext<Config> extends ConnectorContext<Config> {
  readonly configured: ConfiguredAirbyteStream;
  readonly syncMode: SyncMode;
  /** The cursor in force: the configured one, else the stream's default. */
  readonly cursorField: readonly string[] | undefined;
  /** This stream's state from the previous run (the opaque `stream_state`), if any. */
  readonly state: unknown;
}

/** One stream of a source, e.g. `{ name: "users", jsonSchema, read: async function* () {...} }`. */
export interface StreamDefinition<Config> {
  readonly name: string;
  readonly namespace?: string;
  readonly jsonSchema: Record<string, unknown>;
  readonly supportedSyncModes: readonly SyncMode[];
  readonly primaryKey?: readonly (readonly string[])[];
  readonly defaultCursorField?: readonly string[];
  readonly sourceDefinedCursor?: boolean;
  readonly isResumable?: boolean;
  /** Rows (and bytes) this read is expected to emit, reported as an ESTIMATE trace. */
  estimate?(
    ctx: StreamReadContext<Config>,
  ): Promise<{ rows?: number; bytes?: number } | undefined> | { rows?: number; bytes?: number } | undefined;
  read(ctx: StreamReadContext<Config>): AsyncIterable<StreamChunk>;
}

/** A source as a plain object; build it with `defineSource`. */
export interface SourceConnector<Config = Record<string, unknown>> {
  readonly kind: "source";
  readonly name: string;
  readonly version: string;
  readonly spec: ConnectorSpecification;
  /** Records per STATE checkpoint, at most; chunks without state never checkpoint. */
  readonly checkpointEvery?: number;
  check?(ctx: ConnectorContext<Config>): Promise<CheckResult>;
  streams(
    ctx: ConnectorContext<Config>,
  ): Promise<readonly StreamDefinition<Config>[]> | readonly StreamDefinition<Config>[];
}

/** What a destination gets for one `write` run. */
export interface WriteContext<Config> extends ConnectorContext<Config> {
  readonly catalog: ConfiguredAirbyteCatalog;
}

/**
 * Receives a `write` run's records. The CDK calls `write` with batches in arrival order,
 * `flush` before it echoes a STATE (everything written so far must then be durable), and
 * `close` once at the end: with `ok: true` when the input ended normally, with `ok: false` when
 * the run failed (leave the old data as it was). Overwrites are swapped in, and dedups applied,
 * only for the streams in `completeStreams`: a cancelled sync must not replace a table with
 * half of its rows.
 */
export interface DestinationWriter {
  write(records: readonly AirbyteRecordMessage[]): Promise<void> | void;
  flush(): Promise<void>;
  close(result: WriteResult): Promise<void>;
  /**
   * Streams whose written data only becomes visible at `close` (overwrite built aside and
   * swapped in). The CDK holds the echo of their STATE messages until `close` succeeds, so a
   * committed state never claims data that a crash could still lose.
   */
  readonly deferredStreams?: ReadonlySet<string>;
}

/** How a `write` run ended. `completeStreams` holds `streamKey`s of streams whose source finished. */
export interface WriteResult {
  readonly ok: boolean;
  readonly completeStreams: ReadonlySet<string>;
}

/** A destination as a plain object; build it with `defineDestination`. */
export interface DestinationConnector<Config = Record<string, unknown>> {
  readonly kind: "destination";
  readonly name: string;
  readonly version: string;
  readonly spec: ConnectorSpecification;
  check?(ctx: ConnectorContext<Config>): Promise<CheckResult>;
  open(ctx: WriteContext<Config>): Promise<DestinationWriter>;
}

export type Connector = SourceConnector<never> | DestinationConnector<never>;

export type SupportedDestinationSyncModes = readonly DestinationSyncMode[];

/**
 * Declares a source. Example:
 * `export const source = defineSource<Config>({ name: "source-x", version: "1.0.0", spec, streams })`
 */
export function defineSource<Config = Record<string, unknown>>(
  definition: Omit<SourceConnector<Config>, "kind">,
): SourceConnector<Config> {
  return { kind: "source", ...definition };
}

/**
 * Declares a destination. Example:
 * `export const destination = defineDestination<Config>({ name: "destination-x", version: "1.0.0", spec, open })`
 */
export function defineDestination<Config = Record<string, unknown>>(
  definition: Omit<DestinationConnector<Config>, "kind">,
): DestinationConnector<Config> {
  return { kind: "destination", ...definition };
}
