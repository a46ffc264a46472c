import type { ConnectorSpecification } from "@weir/protocol";

/** The config, as validated against `sourceJsonlSpec`. */
export interface JsonlSourceConfig {
  readonly path: string;
}

/** One folder of `.jsonl` files, as destination-jsonl writes them. */
export const sourceJsonlSpec: ConnectorSpecification = {
  supportsIncremental: true,
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "JSON Lines Source Spec",
    type: "object",
    required: ["path"],
    additionalProperties: true,
    properties: {
      path: {
        title: "Path",
        description:
          "Folder to read. Each <path>/<stream>.jsonl is a stream, and each <path>/<namespace>/<stream>.jsonl a stream in that namespace. Relative paths start at the working directory.",
        type: "string",
        minLength: 1,
        examples: ["./out/jsonl"],
      },
    },
  },
};
