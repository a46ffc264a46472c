import {
  MYSQL_SPEC_GROUPS,
  type MysqlConnectionConfig,
  mysqlConnectionProperties,
} from "@weir/mysql-connection";
import type { ConnectorSpecification } from "@weir/protocol";

/** The destination's configuration, as Airbyte's destination-mysql names it. */
export interface DestinationMysqlConfig extends MysqlConnectionConfig {
  /** Airbyte's raw tables' database: accepted, unused (Weir writes typed tables directly). */
  readonly raw_data_schema?: string;
  /** Airbyte's switch for raw tables only: accepted, unused (a warning says so). */
  readonly disable_type_dedupe?: boolean;
}

const { ssl, ...connection } = mysqlConnectionProperties();

/** The spec of `destination-mysql`: Airbyte's field names, so its configs work unchanged. */
export const destinationMysqlSpec: ConnectorSpecification = {
  documentationUrl: "https://docs.airbyte.com/integrations/destinations/mysql",
  supportsIncremental: true,
  supported_destination_sync_modes: ["overwrite", "append", "append_dedup"],
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "MySQL Destination Spec",
    type: "object",
    required: ["host", "database", "username"],
    additionalProperties: true,
    groups: MYSQL_SPEC_GROUPS,
    properties: {
      ...connection,
      database: {
        ...connection.database,
        title: "DB Name",
        description: "Name of the database; streams without a namespace go here.",
      },
      ssl: { ...ssl, order: 6 },
      raw_data_schema: {
        type: "string",
        title: "Raw Table Schema Name",
        description:
          "Accepted for compatibility with Airbyte configs and unused: Weir writes typed tables directly, without raw tables.",
        order: 10,
        group: "advanced",
      },
      disable_type_dedupe: {
        type: "boolean",
        title: "Disable Final Tables",
        description:
          "Accepted for compatibility with Airbyte configs and unused: Weir always writes typed tables.",
        default: false,
        order: 11,
        group: "advanced",
      },
    },
  },
};
