import type {
  AirbyteCatalog,
  AirbyteConnectionStatus,
  AirbyteMessage,
  AirbyteRecordMessageMeta,
  AirbyteStateStats,
  AirbyteStreamStatus,
  ConnectorSpecification,
  FailureType,
  LogLevel,
  RecordMessage,
  StateMessage,
  StreamDescriptor,
  TraceMessage,
} from "./schemas.js";

type Descriptor = { readonly name: string; readonly namespace?: string | null | undefined };

/**
 * The key of a stream in maps and sets. A null, absent or empty namespace are the same stream,
 * as Airbyte's platform treats them. Example: `streamKey({ name: "users", namespace: "public" })`.
 */
export function streamKey(descriptor: Descriptor): string {
  const namespace = descriptor.namespace ?? "";
  return namespace === "" ? descriptor.name : `${namespace}\u0000${descriptor.name}`;
}

/** A descriptor without null or empty namespace, as the official schema wants it. */
export function streamDescriptor(descriptor: Descriptor): StreamDescriptor {
  const namespace = descriptor.namespace ?? "";
  return namespace === "" ? { name: descriptor.name } : { name: descriptor.name, namespace };
}

/** Example: `recordMessage("users", { id: 1 }, { namespace: "public" })`. */
export function recordMessage(
  stream: string,
  data: Record<string, unknown>,
  options: { namespace?: string | undefined; emittedAt?: number; meta?: AirbyteRecordMessageMeta } = {},
): RecordMessage {
  const record: RecordMessage["record"] = { stream, data, emitted_at: options.emittedAt ?? Date.now() };
  if (options.namespace !== undefined && options.namespace !== "") record.namespace = options.namespace;
  if (options.meta !== undefined) record.meta = options.meta;
  return { type: "RECORD", record };
}

/** Wraps any state message body. Example: `stateMessage({ type: "LEGACY", data: { cursor: 1 } })`. */
export function stateMessage(state: StateMessage["state"]): StateMessage {
  return { type: "STATE", state };
}

/** A per-stream STATE. Example: `streamStateMessage({ name: "users" }, { updated_at: "…" }, 1000)`. */
export function streamStateMessage(
  descriptor: Descriptor,
  streamState: unknown,
  recordCount?: number,
): StateMessage {
  // A null stream state (a reset) is written without the key: the official schema wants an object.
  const stream: NonNullable<StateMessage["state"]["stream"]> = {
    stream_descriptor: streamDescriptor(descriptor),
  };
  if (streamState !== null && streamState !== undefined) stream.stream_state = streamState;
  const state: StateMessage["state"] = { type: "STREAM", stream };
  if (recordCount !== undefined) state.sourceStats = { recordCount } satisfies AirbyteStateStats;
  return { type: "STATE", state };
}

/** Example: `logMessage("WARN", "slow query")`. */
export function logMessage(level: LogLevel, message: string, stackTrace?: string): AirbyteMessage {
  return {
    type: "LOG",
    log: stackTrace === undefined ? { level, message } : { level, message, stack_trace: stackTrace },
  };
}

/** Example: `errorTrace("Table users is missing", "config_error", { internalMessage: err.message })`. */
export function errorTrace(
  message: string,
  failureType: FailureType,
  options: {
    internalMessage?: string | undefined;
    stackTrace?: string | undefined;
    streamDescriptor?: Descriptor;
  } = {},
): TraceMessage {
  const error: NonNullable<TraceMessage["trace"]["error"]> = { message, failure_type: failureType };
  if (options.internalMessage !== undefined) error.internal_message = options.internalMessage;
  if (options.stackTrace !== undefined) error.stack_trace = options.stackTrace;
  if (options.streamDescriptor !== undefined)
    error.stream_descriptor = streamDescriptor(options.streamDescriptor);
  return { type: "TRACE", trace: { type: "ERROR", emitted_at: Date.now(), error } };
}

/** Example: `streamStatusTrace({ name: "users" }, "COMPLETE")`. */
export function streamStatusTrace(descriptor: Descriptor, status: AirbyteStreamStatus): TraceMessage {
  return {
    type: "TRACE",
    trace: {
      type: "STREAM_STATUS",
      emitted_at: Date.now(),
      stream_status: { stream_descriptor: streamDescriptor(descriptor), status },
    },
  };
}

/** Example: `estimateTrace({ name: "users" }, { rows: 1000 })`. */
export function estimateTrace(
  descriptor: Descriptor,
  estimate: { rows?: number; bytes?: number },
): TraceMessage {
  const body: NonNullable<TraceMessage["trace"]["estimate"]> = { name: descriptor.name, type: "STREAM" };
  if (descriptor.namespace) body.namespace = descriptor.namespace;
  if (estimate.rows !== undefined) body.row_estimate = Math.round(estimate.rows);
  if (estimate.bytes !== undefined) body.byte_estimate = Math.round(estimate.bytes);
  return { type: "TRACE", trace: { type: "ESTIMATE", emitted_at: Date.now(), estimate: body } };
}

/** Example: `connectionStatusMessage("FAILED", "count: must be integer")`. */
export function connectionStatusMessage(
  status: AirbyteConnectionStatus["status"],
  message?: string,
): AirbyteMessage {
  return {
    type: "CONNECTION_STATUS",
    connectionStatus: message === undefined ? { status } : { status, message },
  };
}

/** Example: `specMessage({ connectionSpecification: { type: "object" } })`. */
export function specMessage(spec: ConnectorSpecification): AirbyteMessage {
  return { type: "SPEC", spec };
}

/** Example: `catalogMessage({ streams: [] })`. */
export function catalogMessage(catalog: AirbyteCatalog): AirbyteMessage {
  return { type: "CATALOG", catalog };
}
