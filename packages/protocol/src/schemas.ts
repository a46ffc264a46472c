import { z } from "zod";

// The Airbyte Protocol 0.18.0 (shared/airbyte-protocol/airbyte_protocol.yaml), defined once.
// Every object is a loose object: the protocol allows unknown fields everywhere and a message we
// pass on must keep them. Optional fields accept null too, because real connectors send
// `"namespace": null` where the schema says "absent".

const json = z.record(z.string(), z.unknown());

/** A stream's name and optional namespace, e.g. `{ name: "users", namespace: "public" }`. */
export const StreamDescriptor = z.looseObject({
  name: z.string(),
  namespace: z.string().nullish(),
});
export type StreamDescriptor = z.infer<typeof StreamDescriptor>;

export const SyncMode = z.enum(["full_refresh", "incremental"]);
export type SyncMode = z.infer<typeof SyncMode>;

export const DestinationSyncMode = z.enum(["append", "overwrite", "append_dedup", "update", "soft_delete"]);
export type DestinationSyncMode = z.infer<typeof DestinationSyncMode>;

export const AirbyteRecordMessageMetaChange = z.looseObject({
  field: z.string(),
  change: z.enum(["NULLED", "TRUNCATED"]),
  reason: z.enum([
    "SOURCE_RECORD_SIZE_LIMITATION",
    "DESTINATION_RECORD_SIZE_LIMITATION",
    "PLATFORM_RECORD_SIZE_LIMITATION",
    "SOURCE_FIELD_SIZE_LIMITATION",
    "DESTINATION_FIELD_SIZE_LIMITATION",
    "PLATFORM_FIELD_SIZE_LIMITATION",
    "SOURCE_SERIALIZATION_ERROR",
    "DESTINATION_SERIALIZATION_ERROR",
    "PLATFORM_SERIALIZATION_ERROR",
    "SOURCE_RETRIEVAL_ERROR",
    "DESTINATION_TYPECAST_ERROR",
  ]),
});
export type AirbyteRecordMessageMetaChange = z.infer<typeof AirbyteRecordMessageMetaChange>;

export const AirbyteRecordMessageMeta = z.looseObject({
  changes: z.array(AirbyteRecordMessageMetaChange).nullish(),
});
export type AirbyteRecordMessageMeta = z.infer<typeof AirbyteRecordMessageMeta>;

export const AirbyteRecordMessageFileReference = z.looseObject({
  staging_file_url: z.string().nullish(),
  source_file_relative_path: z.string().nullish(),
  file_size_bytes: z.number().int().nullish(),
});
export type AirbyteRecordMessageFileReference = z.infer<typeof AirbyteRecordMessageFileReference>;

export const AirbyteRecordMessage = z.looseObject({
  namespace: z.string().nullish(),
  stream: z.string(),
  data: json,
  // The schema says integer; Python connectors have been seen sending floats. We accept both.
  emitted_at: z.number(),
  meta: AirbyteRecordMessageMeta.nullish(),
  file_reference: AirbyteRecordMessageFileReference.nullish(),
});
export type AirbyteRecordMessage = z.infer<typeof AirbyteRecordMessage>;

export const AirbyteStateType = z.enum(["GLOBAL", "STREAM", "LEGACY"]);
export type AirbyteStateType = z.infer<typeof AirbyteStateType>;

// State blobs are opaque: objects by the schema, but foreign connectors send strings and
// numbers too, and we must hand them back exactly as received.
const StateBlob = z.unknown();

export const AirbyteStreamState = z.looseObject({
  stream_descriptor: StreamDescriptor,
  stream_state: StateBlob.optional(),
});
export type AirbyteStreamState = z.infer<typeof AirbyteStreamState>;

export const AirbyteGlobalState = z.looseObject({
  shared_state: StateBlob.optional(),
  stream_states: z.array(AirbyteStreamState),
});
export type AirbyteGlobalState = z.infer<typeof AirbyteGlobalState>;

export const AirbyteStateStats = z.looseObject({
  recordCount: z.number().nullish(),
  rejectedRecordCount: z.number().nullish(),
});
export type AirbyteStateStats = z.infer<typeof AirbyteStateStats>;

export const AirbyteStateMessage = z.looseObject({
  type: AirbyteStateType.nullish(),
  stream: AirbyteStreamState.nullish(),
  global: AirbyteGlobalState.nullish(),
  data: StateBlob.optional(),
  sourceStats: AirbyteStateStats.nullish(),
  destinationStats: AirbyteStateStats.nullish(),
});
export type AirbyteStateMessage = z.infer<typeof AirbyteStateMessage>;

export const LogLevel = z.enum(["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"]);
export type LogLevel = z.infer<typeof LogLevel>;

export const AirbyteLogMessage = z.looseObject({
  level: LogLevel,
  message: z.string(),
  stack_trace: z.string().nullish(),
});
export type AirbyteLogMessage = z.infer<typeof AirbyteLogMessage>;

export const FailureType = z.enum(["system_error", "config_error", "transient_error"]);
export type FailureType = z.infer<typeof FailureType>;

export const AirbyteErrorTraceMessage = z.looseObject({
  message: z.string(),
  internal_message: z.string().nullish(),
  stack_trace: z.string().nullish(),
  failure_type: FailureType.nullish(),
  stream_descriptor: StreamDescriptor.nullish(),
});
export type AirbyteErrorTraceMessage = z.infer<typeof AirbyteErrorTraceMessage>;

export const AirbyteEstimateTraceMessage = z.looseObject({
  name: z.string(),
  type: z.enum(["STREAM", "SYNC"]),
  namespace: z.string().nullish(),
  row_estimate: z.number().int().nullish(),
  byte_estimate: z.number().int().nullish(),
});
export type AirbyteEstimateTraceMessage = z.infer<typeof AirbyteEstimateTraceMessage>;

export const AirbyteStreamStatus = z.enum(["STARTED", "RUNNING", "COMPLETE", "INCOMPLETE"]);
export type AirbyteStreamStatus = z.infer<typeof AirbyteStreamStatus>;

export const AirbyteStreamStatusReason = z.looseObject({
  type: z.enum(["RATE_LIMITED"]),
  rate_limited: z.looseObject({ quota_reset: z.number().int().nullish() }).nullish(),
});
export type AirbyteStreamStatusReason = z.infer<typeof AirbyteStreamStatusReason>;

export const AirbyteStreamStatusTraceMessage = z.looseObject({
  stream_descriptor: StreamDescriptor,
  status: AirbyteStreamStatus,
  reasons: z.array(AirbyteStreamStatusReason).nullish(),
});
export type AirbyteStreamStatusTraceMessage = z.infer<typeof AirbyteStreamStatusTraceMessage>;

export const AirbyteAnalyticsTraceMessage = z.looseObject({
  type: z.string(),
  value: z.string().nullish(),
});
export type AirbyteAnalyticsTraceMessage = z.infer<typeof AirbyteAnalyticsTraceMessage>;

export const AirbyteTraceMessage = z.looseObject({
  type: z.enum(["ERROR", "ESTIMATE", "STREAM_STATUS", "ANALYTICS"]),
  emitted_at: z.number(),
  error: AirbyteErrorTraceMessage.nullish(),
  estimate: AirbyteEstimateTraceMessage.nullish(),
  stream_status: AirbyteStreamStatusTraceMessage.nullish(),
  analytics: AirbyteAnalyticsTraceMessage.nullish(),
});
export type AirbyteTraceMessage = z.infer<typeof AirbyteTraceMessage>;

export const AirbyteControlMessage = z.looseObject({
  type: z.enum(["CONNECTOR_CONFIG"]),
  emitted_at: z.number(),
  connectorConfig: z.looseObject({ config: json }).nullish(),
});
export type AirbyteControlMessage = z.infer<typeof AirbyteControlMessage>;

export const AirbyteConnectionStatus = z.looseObject({
  status: z.enum(["SUCCEEDED", "FAILED"]),
  message: z.string().nullish(),
});
export type AirbyteConnectionStatus = z.infer<typeof AirbyteConnectionStatus>;

export const AirbyteStream = z.looseObject({
  name: z.string(),
  json_schema: json,
  supported_sync_modes: z.array(SyncMode).min(1),
  source_defined_cursor: z.boolean().nullish(),
  default_cursor_field: z.array(z.string()).nullish(),
  source_defined_primary_key: z.array(z.array(z.string())).nullish(),
  namespace: z.string().nullish(),
  is_resumable: z.boolean().nullish(),
  is_file_based: z.boolean().nullish(),
});
export type AirbyteStream = z.infer<typeof AirbyteStream>;

export const AirbyteCatalog = z.looseObject({ streams: z.array(AirbyteStream) });
export type AirbyteCatalog = z.infer<typeof AirbyteCatalog>;

export const ConfiguredAirbyteStream = z.looseObject({
  stream: AirbyteStream,
  sync_mode: SyncMode.default("full_refresh"),
  cursor_field: z.array(z.string()).nullish(),
  destination_sync_mode: DestinationSyncMode.default("append"),
  destination_object_name: z.string().nullish(),
  primary_key: z.array(z.array(z.string())).nullish(),
  generation_id: z.number().int().nullish(),
  minimum_generation_id: z.number().int().nullish(),
  sync_id: z.number().int().nullish(),
  include_files: z.boolean().nullish(),
});
export type ConfiguredAirbyteStream = z.infer<typeof ConfiguredAirbyteStream>;

export const ConfiguredAirbyteCatalog = z.looseObject({
  streams: z.array(ConfiguredAirbyteStream),
});
export type ConfiguredAirbyteCatalog = z.infer<typeof ConfiguredAirbyteCatalog>;

export const DestinationOperation = z.looseObject({
  object_name: z.string(),
  sync_mode: DestinationSyncMode,
  json_schema: json,
  matching_keys: z.array(z.array(z.string())).nullish(),
});
export type DestinationOperation = z.infer<typeof DestinationOperation>;

export const DestinationCatalog = z.looseObject({ operations: z.array(DestinationOperation) });
export type DestinationCatalog = z.infer<typeof DestinationCatalog>;

export const ConnectorSpecification = z.looseObject({
  documentationUrl: z.string().nullish(),
  changelogUrl: z.string().nullish(),
  connectionSpecification: json,
  supportsIncremental: z.boolean().nullish(),
  supportsNormalization: z.boolean().nullish(),
  supportsDBT: z.boolean().nullish(),
  supported_destination_sync_modes: z.array(DestinationSyncMode).nullish(),
  // OAuth descriptions are passed through untouched; Weir does not run OAuth flows itself.
  authSpecification: json.nullish(),
  advanced_auth: json.nullish(),
  protocol_version: z.string().nullish(),
});
export type ConnectorSpecification = z.infer<typeof ConnectorSpecification>;

export const AirbyteMessageType = z.enum([
  "RECORD",
  "STATE",
  "LOG",
  "SPEC",
  "CONNECTION_STATUS",
  "CATALOG",
  "TRACE",
  "CONTROL",
  "DESTINATION_CATALOG",
]);
export type AirbyteMessageType = z.infer<typeof AirbyteMessageType>;

// The envelope as a discriminated union, so `msg.type === "RECORD"` narrows to `msg.record`.
export const RecordEnvelope = z.looseObject({ type: z.literal("RECORD"), record: AirbyteRecordMessage });
export const StateEnvelope = z.looseObject({ type: z.literal("STATE"), state: AirbyteStateMessage });
export const LogEnvelope = z.looseObject({ type: z.literal("LOG"), log: AirbyteLogMessage });
export const SpecEnvelope = z.looseObject({ type: z.literal("SPEC"), spec: ConnectorSpecification });
export const ConnectionStatusEnvelope = z.looseObject({
  type: z.literal("CONNECTION_STATUS"),
  connectionStatus: AirbyteConnectionStatus,
});
export const CatalogEnvelope = z.looseObject({ type: z.literal("CATALOG"), catalog: AirbyteCatalog });
export const TraceEnvelope = z.looseObject({ type: z.literal("TRACE"), trace: AirbyteTraceMessage });
export const ControlEnvelope = z.looseObject({
  type: z.literal("CONTROL"),
  control: AirbyteControlMessage,
});
export const DestinationCatalogEnvelope = z.looseObject({
  type: z.literal("DESTINATION_CATALOG"),
  destination_catalog: DestinationCatalog,
});

/** One line of the protocol, e.g. `{ type: "LOG", log: { level: "INFO", message: "hi" } }`. */
export const AirbyteMessage = z.discriminatedUnion("type", [
  RecordEnvelope,
  StateEnvelope,
  LogEnvelope,
  SpecEnvelope,
  ConnectionStatusEnvelope,
  CatalogEnvelope,
  TraceEnvelope,
  ControlEnvelope,
  DestinationCatalogEnvelope,
]);
export type AirbyteMessage = z.infer<typeof AirbyteMessage>;

export type RecordMessage = z.infer<typeof RecordEnvelope>;
export type StateMessage = z.infer<typeof StateEnvelope>;
export type LogMessage = z.infer<typeof LogEnvelope>;
export type TraceMessage = z.infer<typeof TraceEnvelope>;
export type ControlMessage = z.infer<typeof ControlEnvelope>;

/** The `--state` file Airbyte hands a source: an array of state messages, or a legacy blob. */
export const StateInput = z.union([z.array(AirbyteStateMessage), json]);
export type StateInput = z.infer<typeof StateInput>;
