import type { AirbyteMessage, AirbyteStream, ConfiguredAirbyteCatalog } from "./schemas.js";

// Test data, not exported from the package: one message of every type and variant, each with
// every optional field of protocol 0.18.0 set, all valid against the official schema.

const usersSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: { id: { type: "integer" }, name: { type: ["null", "string"] } },
};

const usersStream = {
  name: "users",
  json_schema: usersSchema,
  supported_sync_modes: ["full_refresh", "incremental"],
  source_defined_cursor: true,
  default_cursor_field: ["updated_at"],
  source_defined_primary_key: [["id"]],
  namespace: "public",
  is_resumable: true,
  is_file_based: false,
} satisfies AirbyteStream;

/** Samples by a short name, e.g. `sampleMessages["TRACE STREAM_STATUS"]`. */
export const sampleMessages = {
  RECORD: {
    type: "RECORD",
    record: {
      namespace: "public",
      stream: "users",
      data: { id: 1, name: "Ada \u2212 Løvelace 🚀", nested: { tags: ["a", "b"] } },
      emitted_at: 1_669_682_107_441,
      meta: {
        changes: [
          { field: "bio", change: "TRUNCATED", reason: "SOURCE_FIELD_SIZE_LIMITATION" },
          { field: "avatar", change: "NULLED", reason: "DESTINATION_TYPECAST_ERROR" },
        ],
      },
      file_reference: {
        staging_file_url: "/staging/users/1/avatar.png",
        source_file_relative_path: "users/1/avatar.png",
        file_size_bytes: 2048,
      },
    },
  },
  "STATE STREAM": {
    type: "STATE",
    state: {
      type: "STREAM",
      stream: {
        stream_descriptor: { name: "users", namespace: "public" },
        stream_state: { updated_at: "2024-01-01T00:00:00Z" },
      },
      sourceStats: { recordCount: 12 },
      destinationStats: { recordCount: 11, rejectedRecordCount: 1 },
    },
  },
  "STATE GLOBAL": {
    type: "STATE",
    state: {
      type: "GLOBAL",
      global: {
        shared_state: { lsn: 123_456 },
        stream_states: [
          { stream_descriptor: { name: "users", namespace: "public" }, stream_state: { id: 5 } },
          { stream_descriptor: { name: "orders" }, stream_state: {} },
        ],
      },
      sourceStats: { recordCount: 2 },
      destinationStats: { recordCount: 2, rejectedRecordCount: 0 },
    },
  },
  "STATE LEGACY": {
    type: "STATE",
    state: { type: "LEGACY", data: { users: { cursor: 0 } }, sourceStats: { recordCount: 0 } },
  },
  LOG: {
    type: "LOG",
    log: { level: "ERROR", message: "query failed", stack_trace: "Error: boom\n    at main (main.js:1:1)" },
  },
  SPEC: {
    type: "SPEC",
    spec: {
      documentationUrl: "https://docs.example.com/sources/example",
      changelogUrl: "https://docs.example.com/sources/example/changelog",
      connectionSpecification: {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        required: ["api_key"],
        properties: { api_key: { type: "string", airbyte_secret: true } },
      },
      supportsIncremental: true,
      supportsNormalization: false,
      supportsDBT: false,
      supported_destination_sync_modes: ["append", "overwrite", "append_dedup", "update", "soft_delete"],
      authSpecification: {
        auth_type: "oauth2.0",
        oauth2Specification: {
          rootObject: ["credentials", 0],
          oauthFlowInitParameters: [["client_id"], ["client_secret"]],
          oauthFlowOutputParameters: [["refresh_token"]],
        },
      },
      advanced_auth: {
        auth_flow_type: "oauth2.0",
        predicate_key: ["credentials", "auth_type"],
        predicate_value: "oauth2.0",
        oauth_config_specification: {
          oauth_user_input_from_connector_config_specification: {
            type: "object",
            properties: { subdomain: { type: "string", path_in_connector_config: ["subdomain"] } },
          },
          oauth_connector_input_specification: {
            consent_url: "https://auth.example.com/authorize?{{ client_id_key }}={{ client_id_value }}",
            access_token_url: "https://auth.example.com/token?{{ auth_code_key }}={{ auth_code_value }}",
            scope: "read:users",
            access_token_headers: { Authorization: "Basic {{ client_id_value }}" },
            access_token_params: { grant_type: "authorization_code" },
            extract_output: ["access_token", "refresh_token"],
            state: { min: 7, max: 128 },
            client_id_key: "client_id",
            client_secret_key: "client_secret",
            scope_key: "scope",
            state_key: "state",
            auth_code_key: "code",
            redirect_uri_key: "redirect_uri",
            token_expiry_key: "expires_at",
          },
          complete_oauth_output_specification: {
            type: "object",
            properties: {
              refresh_token: { type: "string", path_in_connector_config: ["credentials", "token"] },
            },
          },
          complete_oauth_server_input_specification: {
            type: "object",
            properties: { client_id: { type: "string" } },
          },
          complete_oauth_server_output_specification: {
            type: "object",
            properties: { client_id: { type: "string", path_in_connector_config: ["credentials", "id"] } },
          },
        },
      },
      protocol_version: "0.18.0",
    },
  },
  CONNECTION_STATUS: {
    type: "CONNECTION_STATUS",
    connectionStatus: { status: "FAILED", message: "count: must be integer" },
  },
  CATALOG: {
    type: "CATALOG",
    catalog: {
      streams: [usersStream],
    },
  },
  "TRACE ERROR": {
    type: "TRACE",
    trace: {
      type: "ERROR",
      emitted_at: 1_700_000_000_000.5,
      error: {
        message: "Table users is missing",
        internal_message: 'relation "users" does not exist',
        stack_trace: "Error: relation\n    at query (pg.js:1:1)",
        failure_type: "config_error",
        stream_descriptor: { name: "users", namespace: "public" },
      },
    },
  },
  "TRACE ESTIMATE STREAM": {
    type: "TRACE",
    trace: {
      type: "ESTIMATE",
      emitted_at: 1_700_000_000_000,
      estimate: {
        name: "users",
        type: "STREAM",
        namespace: "public",
        row_estimate: 1000,
        byte_estimate: 64_000,
      },
    },
  },
  "TRACE ESTIMATE SYNC": {
    type: "TRACE",
    trace: {
      type: "ESTIMATE",
      emitted_at: 1_700_000_000_000,
      estimate: { name: "cdc", type: "SYNC", row_estimate: 5 },
    },
  },
  "TRACE STREAM_STATUS": {
    type: "TRACE",
    trace: {
      type: "STREAM_STATUS",
      emitted_at: 1_700_000_000_000,
      stream_status: {
        stream_descriptor: { name: "users", namespace: "public" },
        status: "RUNNING",
        reasons: [{ type: "RATE_LIMITED", rate_limited: { quota_reset: 1_700_000_060_000 } }],
      },
    },
  },
  "TRACE ANALYTICS": {
    type: "TRACE",
    trace: {
      type: "ANALYTICS",
      emitted_at: 1_700_000_000_000,
      analytics: { type: "sql-source-used-cursor-count-indexed", value: "2" },
    },
  },
  CONTROL: {
    type: "CONTROL",
    control: {
      type: "CONNECTOR_CONFIG",
      emitted_at: 1_700_000_000_000,
      connectorConfig: { config: { refresh_token: "rotated", count: 10 } },
    },
  },
  DESTINATION_CATALOG: {
    type: "DESTINATION_CATALOG",
    destination_catalog: {
      operations: [
        {
          object_name: "contacts",
          sync_mode: "update",
          json_schema: { type: "object", properties: { email: { type: "string" } } },
          matching_keys: [["email"], ["crm", "id"]],
        },
        { object_name: "contacts", sync_mode: "soft_delete", json_schema: { type: "object" } },
      ],
    },
  },
} satisfies Record<string, AirbyteMessage>;

/** A configured catalog with every optional field of ConfiguredAirbyteStream set. */
export const sampleConfiguredCatalog = {
  streams: [
    {
      stream: usersStream,
      sync_mode: "incremental",
      cursor_field: ["updated_at"],
      destination_sync_mode: "append_dedup",
      destination_object_name: "crm_users",
      primary_key: [["id"]],
      generation_id: 3,
      minimum_generation_id: 3,
      sync_id: 42,
      include_files: false,
    },
  ],
} satisfies ConfiguredAirbyteCatalog;
