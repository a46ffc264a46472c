import type { ConnectorSpecification } from "@weir/protocol";

/** The config, as validated against `destinationJsonlSpec`. */
export interface JsonlDestinationConfig {
  readonly destination_path: string;
}

/** Mirrors Airbyte's destination-local-json: one folder, one file per stream. */
export const destinationJsonlSpec: ConnectorSpecification = {
  supportsIncremental: true,
  supported_destination_sync_modes: ["append", "overwrite"],
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "JSON Lines Destination Spec",
    type: "object",
    required: ["destination_path"],
    additionalProperties: true,
    properties: {
      destination_path: {
        title: "Destination Path",
        description:
          "Folder to write into, created if missing; relative paths start at the working directory. Each stream becomes <destination_path>/<namespace>/<stream>.jsonl, or <destination_path>/<stream>.jsonl without a namespace.",
        type: "string",
        minLength: 1,
        examples: ["./out/jsonl", "/tmp/weir/jsonl"],
      },
    },
  },
};
