import {
  MYSQL_SPEC_GROUPS,
  type MysqlConnectionConfig,
  mysqlConnectionProperties,
} from "@weir/mysql-connection";
import type { ConnectorSpecification } from "@weir/protocol";
import type { TableFilter } from "./table-discovery.js";

/** The source's configuration, as Airbyte's source-mysql names it. */
export interface SourceMysqlConfig extends MysqlConnectionConfig {
  readonly replication_method?: { readonly method?: string };
  readonly table_filters?: readonly TableFilter[];
  readonly treat_tinyint1_as_integer?: boolean;
}

/** The spec of `source-mysql`: Airbyte's field names, so its configs work unchanged. */
export const sourceMysqlSpec: ConnectorSpecification = {
  documentationUrl: "https://docs.airbyte.com/integrations/sources/mysql",
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "MySql Source Spec",
    type: "object",
    required: ["host", "database", "username"],
    additionalProperties: true,
    groups: MYSQL_SPEC_GROUPS,
    properties: {
      ...mysqlConnectionProperties(),
      replication_method: {
        type: "object",
        title: "Update Method",
        description:
          "How incremental streams find changes. Only STANDARD (a cursor column) is supported yet.",
        order: 8,
        group: "advanced",
        display_type: "radio",
        default: { method: "STANDARD" },
        oneOf: [
          {
            title: "Scan Changes with User Defined Cursor",
            description:
              "Incrementally detects new inserts and updates using the cursor column chosen for each stream (e.g. updated_at).",
            required: ["method"],
            properties: { method: { type: "string", const: "STANDARD", order: 0 } },
          },
          {
            title: "Read Changes using Binary Log (CDC)",
            description: "Not supported yet: a config with it fails with a config error.",
            required: ["method"],
            properties: { method: { type: "string", const: "CDC", order: 0 } },
          },
        ],
      },
      table_filters: {
        type: "array",
        title: "Table Filters",
        description: "Optional: discover only the tables whose names match one of these SQL LIKE patterns.",
        order: 10,
        group: "advanced",
        items: {
          type: "object",
          title: "Table Filter",
          required: ["database_name", "table_name_patterns"],
          properties: {
            database_name: { type: "string", title: "Database Name", order: 1 },
            table_name_patterns: {
              type: "array",
              title: "Table Filter Patterns",
              items: { type: "string" },
              minItems: 1,
              order: 2,
            },
          },
        },
      },
      treat_tinyint1_as_integer: {
        type: "boolean",
        title: "Treat TINYINT(1) Columns as Integers",
        description: "When enabled, TINYINT(1) columns are emitted as integers instead of booleans.",
        default: false,
        order: 11,
        group: "advanced",
      },
    },
  },
};
