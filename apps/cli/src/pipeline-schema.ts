import { MapperConfigList, RecordValidationMode } from "@weir/mappers";
import { z } from "zod";

// The pipeline file as written. Every object is strict: a misspelt key is an error that names
// it, never a silently ignored setting.

const CommandLine = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const connectorKeys = [
  "connector",
  "command",
  "image",
  "cwd",
  "env",
  "memory",
  "cpus",
  "network",
  "config",
] as const;

export const PipelineConnectorSchema = z.strictObject({
  /** A built-in connector: `faker`, `source-faker`, `duckdb`… */
  connector: z.string().min(1).optional(),
  /** A local program that speaks the protocol: an argv list, or one string split like a shell. */
  command: CommandLine.optional(),
  /** A connector image run with podman or docker: `airbyte/source-faker:6.2.0`. */
  image: z
    .string()
    .regex(/^[^\s]+$/, "must be an image name without spaces")
    .optional(),
  /** The command's working directory, relative to the pipeline file's folder. */
  cwd: z.string().min(1).optional(),
  /** Extra environment variables for the command or the container. */
  env: z
    .record(
      z.string().regex(/^[^=\s#][^=\s]*$/, "must be a variable name (no spaces, no =)"),
      z.union([z.string(), z.number(), z.boolean()]),
    )
    .optional(),
  /** The container's memory limit: `512m`, `2g`. */
  memory: z
    .string()
    .regex(/^\d+(\.\d+)?[bkmg]?$/i, "must be a size such as 512m or 2g")
    .optional(),
  /** The container's CPU limit, in cores: `0.5`, `2`. */
  cpus: z.number().positive().optional(),
  /** The container's network mode: `none`, `host`, `bridge`, or a network's name. */
  network: z.string().min(1).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

const FieldPath = z.array(z.string().min(1)).min(1);

export const streamKeys = [
  "name",
  "namespace",
  "sync_mode",
  "destination_sync_mode",
  "cursor_field",
  "primary_key",
  "mappers",
  "validation",
] as const;

export const PipelineStreamSchema = z.strictObject({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  sync_mode: z.enum(["full_refresh", "incremental"]).optional(),
  destination_sync_mode: z.enum(["append", "overwrite", "append_dedup"]).optional(),
  /** `updated_at`, or a path into nested data: `[meta, updated_at]`. */
  cursor_field: z.union([z.string().min(1), FieldPath]).optional(),
  /** `id`, a composite key of top-level fields `[id, tenant]`, or Airbyte's form `[[id], [tenant]]`. */
  primary_key: z
    .union([z.string().min(1), z.array(z.union([z.string().min(1), FieldPath])).min(1)])
    .optional(),
  /** Rewrites of the stream's records, applied in order (see the README's Mappers section). */
  mappers: MapperConfigList.optional(),
  /** What to do with a record that does not match the stream's schema: off, warn, skip, fail. */
  validation: RecordValidationMode.optional(),
});

export const pipelineKeys = [
  "name",
  "source",
  "destination",
  "streams",
  "heartbeat_timeout_seconds",
] as const;

export const PipelineFileSchema = z.strictObject({
  name: z.string().min(1).optional(),
  source: PipelineConnectorSchema,
  destination: PipelineConnectorSchema,
  /** Omitted: every stream of the source, incremental where it can be. */
  streams: z.array(PipelineStreamSchema).min(1).optional(),
  /** A connector silent for this long fails the sync. */
  heartbeat_timeout_seconds: z.number().positive().optional(),
});

export type PipelineFileContent = z.infer<typeof PipelineFileSchema>;
export type PipelineConnectorContent = z.infer<typeof PipelineConnectorSchema>;
export type PipelineStreamContent = z.infer<typeof PipelineStreamSchema>;

/** The keys an object at this path of the file may have, for "did you mean" hints. */
export function knownKeysAt(path: readonly PropertyKey[]): readonly string[] | undefined {
  if (path.length === 0) return pipelineKeys;
  if (path.length === 1 && (path[0] === "source" || path[0] === "destination")) return connectorKeys;
  if (path.length === 2 && path[0] === "streams" && typeof path[1] === "number") return streamKeys;
  return undefined;
}
