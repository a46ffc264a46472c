import type { ConnectorSpecification } from "@weir/protocol";

/** The config, as validated against `fakerSpec` (defaults applied). */
export interface FakerConfig {
  readonly count: number;
  readonly seed?: number;
  readonly records_per_slice?: number;
  readonly always_updated?: boolean;
  readonly parallelism?: number;
  readonly wide_data_set_columns?: number;
  readonly wide_data_set_tables?: number;
  readonly generate_errors_in_wide_columns?: number;
}

/** Airbyte source-faker's spec: the same fields, types, defaults and minimums. */
export const fakerSpec: ConnectorSpecification = {
  documentationUrl: "https://docs.airbyte.com/integrations/sources/faker",
  supportsIncremental: true,
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Faker Source Spec",
    type: "object",
    required: ["count"],
    additionalProperties: true,
    properties: {
      count: {
        title: "Count",
        description:
          "How many users should be generated in total. Purchases follow the users (about one per user); the products catalogue is fixed at 100.",
        type: "integer",
        minimum: 1,
        default: 1000,
        order: 0,
      },
      seed: {
        title: "Seed",
        description:
          "Manually control the faker random seed to return the same values on subsequent runs (leave -1 for random; an incremental sync then keeps the random seed it started with in its state).",
        type: "integer",
        default: -1,
        order: 1,
      },
      records_per_slice: {
        title: "Records Per Stream Slice",
        description:
          "How many fake records will be in each page (stream slice), before a state message is emitted? For purchases, how many users' purchases.",
        type: "integer",
        minimum: 1,
        default: 1000,
        order: 2,
      },
      always_updated: {
        title: "Always Updated",
        description:
          "Should the updated_at values for every record be new each sync? Setting this to false will cause the source to stop emitting records after COUNT records have been emitted.",
        type: "boolean",
        default: true,
      },
      parallelism: {
        title: "Parallelism",
        description:
          "Accepted for compatibility with Airbyte's faker and ignored: Weir generates on one thread, which is faster than Airbyte's worker pool.",
        type: "integer",
        minimum: 1,
        default: 4,
        order: 4,
      },
      wide_data_set_columns: {
        title: "Wide Data Set Columns",
        description:
          "Accepted for compatibility with Airbyte's faker and ignored: Weir does not generate the wide data set streams yet.",
        type: "integer",
        minimum: 1,
        default: 10,
        order: 5,
      },
      wide_data_set_tables: {
        title: "Wide Data Set Tables",
        description:
          "Accepted for compatibility with Airbyte's faker and ignored: Weir does not generate the wide data set streams yet.",
        type: "integer",
        minimum: 1,
        default: 1,
        order: 6,
      },
      generate_errors_in_wide_columns: {
        title: "Generate Typing Errors in Wide Column Tables",
        description:
          "Accepted for compatibility with Airbyte's faker and ignored: Weir does not generate the wide data set streams yet.",
        type: "integer",
        default: 0,
        minimum: 0,
        order: 10,
      },
    },
  },
};
