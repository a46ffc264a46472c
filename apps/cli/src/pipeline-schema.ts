import { z } from "zod";

// The pipeline file as written. Every object is strict: a misspelt key is an error that names
// it, never a silently ignored setting.

const CommandLine = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const connectorKeys = ["connector", "command", "cwd", "env", "config"] as const;

export const PipelineConnectorSchema = z.strictObject({
  /** A built-in connector: `faker`, `source-faker`, `duckdb`… */
  connector: z.string().min(1).optional(),
  /** A local program that speaks the protocol: an argv list, or one string split like a shell. */
  command: CommandLine.optional(),
  /** The command's working directory, relative to the pipeline file's folder. */
  cwd: z.string().min(1).optional(),
  /** Extra environment variables for the command. */
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
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
