import { type ConnectorError, configError } from "@weir/cdk";
import {
  jdbcUrlParamsProperty,
  type PostgresConnectionConfig,
  sslModeProperty,
} from "@weir/postgres-connection";
import type { ConnectorSpecification } from "@weir/protocol";

/** The source's config, with Airbyte's source-postgres field names. */
export interface SourcePostgresConfig extends PostgresConnectionConfig {
  readonly schemas?: readonly string[];
  readonly replication_method?: { readonly method?: string };
}

/** The spec of `source-postgres`: Airbyte's fields, so Airbyte configs load unchanged. */
export const sourcePostgresSpec: ConnectorSpecification = {
  documentationUrl: "https://docs.airbyte.com/integrations/sources/postgres",
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Postgres Source Spec",
    type: "object",
    required: ["host", "port", "database", "username"],
    additionalProperties: true,
    properties: {
      host: {
        title: "Host",
        description: "Hostname of the database.",
        type: "string",
        order: 0,
        group: "db",
      },
      port: {
        title: "Port",
        description: "Port of the database.",
        type: "integer",
        minimum: 0,
        maximum: 65536,
        default: 5432,
        examples: ["5432"],
        order: 1,
        group: "db",
      },
      database: {
        title: "Database Name",
        description: "Name of the database.",
        type: "string",
        order: 2,
        group: "db",
      },
      schemas: {
        title: "Schemas",
        description: "The list of schemas (case sensitive) to sync from. Defaults to public.",
        type: "array",
        items: { type: "string" },
        minItems: 0,
        uniqueItems: true,
        default: ["public"],
        order: 3,
        group: "db",
      },
      username: {
        title: "Username",
        description: "Username to access the database.",
        type: "string",
        order: 4,
        group: "auth",
      },
      password: {
        title: "Password",
        description: "Password associated with the username.",
        type: "string",
        airbyte_secret: true,
        order: 5,
        group: "auth",
        always_show: true,
      },
      jdbc_url_params: jdbcUrlParamsProperty(6),
      ssl_mode: sslModeProperty(8),
      replication_method: {
        type: "object",
        title: "Update Method",
        description: "How incremental syncs find new and changed rows.",
        order: 9,
        group: "advanced",
        display_type: "radio",
        oneOf: [
          {
            title: "Scan Changes with User Defined Cursor",
            description:
              "Incrementally reads new inserts and updates through the cursor column chosen for each stream (e.g. updated_at).",
            required: ["method"],
            additionalProperties: true,
            properties: { method: { type: "string", const: "Standard", order: 0 } },
          },
          {
            title: "Detect Changes with Xmin System Column",
            description: "Not supported by Weir yet: a sync with it fails with a config error.",
            required: ["method"],
            additionalProperties: true,
            properties: { method: { type: "string", const: "Xmin", order: 0 } },
          },
          {
            title: "Read Changes using Write-Ahead Log (CDC)",
            description: "Not supported by Weir yet: a sync with it fails with a config error.",
            required: ["method"],
            additionalProperties: true,
            properties: {
              method: { type: "string", const: "CDC", order: 1 },
              plugin: { type: "string", title: "Plugin", enum: ["pgoutput"], default: "pgoutput", order: 2 },
              replication_slot: { type: "string", title: "Replication Slot", order: 3 },
              publication: { type: "string", title: "Publication", order: 4 },
            },
          },
        ],
      },
    },
    groups: [
      { id: "db" },
      { id: "auth" },
      { id: "security", title: "Security" },
      { id: "advanced", title: "Advanced" },
    ],
  },
};

/**
 * The schemas to read and a check of the replication method: only Standard (a cursor column)
 * is implemented; Xmin and CDC are refused with a config error rather than half-done.
 * Example: `sourceSettings({ …, schemas: ["sales"] })` is `{ ok: true, schemas: ["sales"] }`.
 */
export function sourceSettings(
  config: SourcePostgresConfig,
): { ok: true; schemas: readonly string[] } | { ok: false; error: ConnectorError } {
  const method = config.replication_method?.method ?? "Standard";
  if (method !== "Standard") {
    return {
      ok: false,
      error: configError(
        `replication_method ${method} is not supported yet by Weir's source-postgres: use "Standard" (incremental syncs by a cursor column)`,
      ),
    };
  }
  const schemas = config.schemas === undefined || config.schemas.length === 0 ? ["public"] : config.schemas;
  return { ok: true, schemas };
}
