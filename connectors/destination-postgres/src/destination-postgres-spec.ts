import {
  jdbcUrlParamsProperty,
  type PostgresConnectionConfig,
  sslModeProperty,
} from "@weir/postgres-connection";
import type { ConnectorSpecification } from "@weir/protocol";

/** The destination's config, with Airbyte's destination-postgres field names. */
export interface DestinationPostgresConfig extends PostgresConnectionConfig {
  readonly schema?: string;
  /** Overwrite swaps drop the old table with CASCADE (dropping views on it) when true. */
  readonly drop_cascade?: boolean;
  readonly raw_data_schema?: string;
  readonly disable_type_dedupe?: boolean;
  readonly unconstrained_number?: boolean;
}

export const DEFAULT_SCHEMA = "public";

/** The spec of `destination-postgres`: Airbyte's fields, so Airbyte configs load unchanged. */
export const destinationPostgresSpec: ConnectorSpecification = {
  documentationUrl: "https://docs.airbyte.com/integrations/destinations/postgres",
  supportsIncremental: true,
  supported_destination_sync_modes: ["overwrite", "append", "append_dedup"],
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Postgres Destination Spec",
    type: "object",
    required: ["host", "port", "username", "database", "schema"],
    additionalProperties: true,
    properties: {
      host: { title: "Host", description: "Hostname of the database.", type: "string", order: 0 },
      port: {
        title: "Port",
        description: "Port of the database.",
        type: "integer",
        minimum: 0,
        maximum: 65536,
        default: 5432,
        examples: ["5432"],
        order: 1,
      },
      database: { title: "DB Name", description: "Name of the database.", type: "string", order: 2 },
      schema: {
        title: "Default Schema",
        description: 'The schema tables are written to when the stream has no namespace; usually "public".',
        type: "string",
        examples: ["public"],
        default: DEFAULT_SCHEMA,
        order: 3,
      },
      username: {
        title: "User",
        description: "Username to use to access the database.",
        type: "string",
        order: 4,
      },
      password: {
        title: "Password",
        description: "Password associated with the username.",
        type: "string",
        airbyte_secret: true,
        order: 5,
      },
      ssl: {
        title: "SSL Connection",
        description: "Encrypt data using SSL (as ssl_mode require, when ssl_mode is not given).",
        type: "boolean",
        default: false,
        order: 6,
      },
      ssl_mode: sslModeProperty(7),
      jdbc_url_params: jdbcUrlParamsProperty(8),
      raw_data_schema: {
        type: "string",
        title: "Raw Table Schema Name",
        description:
          "Accepted for Airbyte configs and ignored: Weir writes typed tables directly, with no raw tables.",
        order: 9,
      },
      disable_type_dedupe: {
        type: "boolean",
        title: "Disable Final Tables",
        description: "Accepted for Airbyte configs and ignored: Weir always writes typed final tables.",
        default: false,
        order: 10,
      },
      drop_cascade: {
        type: "boolean",
        title: "Drop tables with CASCADE",
        description:
          "When an overwrite swaps in a table, drop the old one with CASCADE. WARNING: this also drops views and other objects that depend on it.",
        default: false,
        order: 11,
      },
      unconstrained_number: {
        type: "boolean",
        title: "Unconstrained numeric in final tables",
        description:
          "Accepted for Airbyte configs; numbers always go to unconstrained NUMERIC, so no digit is lost.",
        default: true,
        order: 12,
      },
    },
  },
};
