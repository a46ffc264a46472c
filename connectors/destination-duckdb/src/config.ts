import { isAbsolute, resolve } from "node:path";
import { type ConnectorError, configError } from "@weir/cdk";
import type { ConnectorSpecification } from "@weir/protocol";

/** The destination's configuration, as Airbyte's destination-duckdb names it. */
export interface DuckdbConfig {
  readonly destination_path: string;
  readonly schema?: string;
  readonly motherduck_api_key?: string;
}

/** The configuration after defaults and path resolution. */
export interface ResolvedDuckdbConfig {
  /** Absolute file path, or `:memory:`. */
  readonly path: string;
  readonly schema: string;
  /** A MotherDuck key was given; it is ignored, and the caller warns about it. */
  readonly ignoredMotherduckKey: boolean;
}

export const DEFAULT_SCHEMA = "main";

/** The spec of `destination-duckdb`, compatible with Airbyte's config fields. */
export const duckdbSpec: ConnectorSpecification = {
  documentationUrl: "https://docs.airbyte.com/integrations/destinations/duckdb",
  supportsIncremental: true,
  supported_destination_sync_modes: ["overwrite", "append", "append_dedup"],
  connectionSpecification: {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Destination DuckDB",
    type: "object",
    required: ["destination_path"],
    additionalProperties: true,
    properties: {
      destination_path: {
        title: "Destination DB",
        type: "string",
        description:
          "Path to the .duckdb file, absolute or relative to the working directory. " +
          "Parent directories are created. MotherDuck (md:) is not supported.",
        examples: ["./weir.duckdb", "/var/data/destination.duckdb"],
        order: 0,
      },
      schema: {
        title: "Destination Schema",
        type: "string",
        description: "Schema for streams without a namespace.",
        default: DEFAULT_SCHEMA,
        examples: ["main"],
        order: 1,
      },
      motherduck_api_key: {
        title: "MotherDuck API Key",
        type: "string",
        description:
          "Accepted for compatibility with Airbyte configs and ignored: MotherDuck is not supported.",
        airbyte_secret: true,
        order: 2,
      },
    },
  },
};

/**
 * Checks and normalises a config. Example: `resolveDuckdbConfig({ destination_path: "./x.duckdb" }, "/w")`
 * gives `{ ok: true, value: { path: "/w/x.duckdb", schema: "main", ignoredMotherduckKey: false } }`.
 */
export function resolveDuckdbConfig(
  config: DuckdbConfig,
  cwd: string = process.cwd(),
): { ok: true; value: ResolvedDuckdbConfig } | { ok: false; error: ConnectorError } {
  const rawPath = config.destination_path;
  if (typeof rawPath !== "string" || rawPath.trim() === "") {
    return { ok: false, error: configError("config.destination_path: must be a non-empty file path") };
  }
  if (/^(md|motherduck):/i.test(rawPath.trim())) {
    return {
      ok: false,
      error: configError(
        "config.destination_path: MotherDuck (md:) is not supported by this destination; give a local file path such as ./weir.duckdb",
      ),
    };
  }
  const schema = config.schema ?? DEFAULT_SCHEMA;
  if (typeof schema !== "string" || schema === "") {
    return { ok: false, error: configError("config.schema: must be a non-empty string") };
  }
  const path = rawPath === ":memory:" ? rawPath : isAbsolute(rawPath) ? rawPath : resolve(cwd, rawPath);
  const key = config.motherduck_api_key;
  return {
    ok: true,
    value: { path, schema, ignoredMotherduckKey: typeof key === "string" && key !== "" },
  };
}
