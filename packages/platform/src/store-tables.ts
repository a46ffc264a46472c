import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as JSON text (so pg never turns arrays into Postgres arrays), read as values. */
type Json<T> = ColumnType<T, string, string>;

/** How a source or destination runs: a built-in, a local command, or a container image. */
export type ConnectorReference =
  | { readonly type: "builtin"; readonly name: string }
  | { readonly type: "command"; readonly argv: readonly string[] }
  | { readonly type: "image"; readonly image: string };

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

/** Sources and destinations share one shape; `config` holds sealed secrets (see config-secrets.ts). */
export interface ActorsTable {
  id: string;
  workspace_id: string;
  name: string;
  connector: Json<ConnectorReference>;
  definition_id: string;
  config: Json<Record<string, unknown>>;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

/** One configured stream of a connection, in the API's terms. */
export interface StoredStream {
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly syncMode: string;
  readonly cursorField?: readonly string[] | undefined;
  readonly primaryKey?: readonly (readonly string[])[] | undefined;
  readonly selectedFields?: readonly { readonly fieldPath: readonly string[] }[] | undefined;
  /** A @weir/mappers MapperConfigList. */
  readonly mappers?: readonly unknown[] | undefined;
}

export interface StoredSchedule {
  readonly scheduleType: "manual" | "cron" | "basic";
  readonly cronExpression?: string | undefined;
}

export interface ConnectionsTable {
  id: string;
  workspace_id: string;
  source_id: string;
  destination_id: string;
  name: string;
  /** Null: every stream the source discovers, full_refresh_overwrite. */
  streams: Json<StoredStream[] | null>;
  schedule: Json<StoredSchedule>;
  namespace_definition: string;
  namespace_format: string | null;
  prefix: string;
  non_breaking_changes: string;
  status: string;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface ConnectionStatesTable {
  connection_id: string;
  state: Json<unknown[]>;
  updated_at: Timestamp;
}

export type JobStatus = "pending" | "running" | "incomplete" | "failed" | "succeeded" | "cancelled";

/** Per-stream counters as the last attempt left them. */
export interface StoredStreamStats {
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly recordsEmitted: number;
  readonly recordsCommitted: number;
  readonly bytesEmitted: number;
  readonly status?: string | undefined;
}

export interface JobsTable {
  id: Generated<number>;
  connection_id: string;
  job_type: string;
  status: JobStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  cancel_requested: Generated<boolean>;
  worker_id: string | null;
  rows_synced: Generated<number>;
  bytes_synced: Generated<number>;
  failure_type: string | null;
  failure_message: string | null;
}

export interface AttemptsTable {
  id: Generated<number>;
  job_id: number;
  attempt_number: number;
  status: JobStatus;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  streams: Json<StoredStreamStats[]>;
  failure_type: string | null;
  failure_origin: string | null;
  failure_message: string | null;
}

export interface AttemptLogsTable {
  id: Generated<number>;
  attempt_id: number;
  at: Timestamp;
  origin: string;
  level: string;
  message: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  /** SHA-256 of the token, hex: the token itself is never stored. */
  token_hash: string;
  created_at: Timestamp;
}

/** Every table of the platform store. */
export interface StoreTables {
  workspaces: WorkspacesTable;
  sources: ActorsTable;
  destinations: ActorsTable;
  connections: ConnectionsTable;
  connection_states: ConnectionStatesTable;
  jobs: JobsTable;
  attempts: AttemptsTable;
  attempt_logs: AttemptLogsTable;
  api_tokens: ApiTokensTable;
}
