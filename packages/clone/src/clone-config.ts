import { MapperConfigList } from "@weir/mappers";
import { z } from "zod";

// The clone file as the user writes it (after `${VAR}` expansion). Connection settings are the
// Airbyte Postgres connectors' fields, so a config written for a pipeline works here as it is;
// fields only a connector uses (replication_method, schema, …) are accepted and ignored.

const SslMode = z.looseObject({
  mode: z.enum(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]),
  ca_certificate: z.string().optional(),
  client_certificate: z.string().optional(),
  client_key: z.string().optional(),
  client_key_password: z.string().optional(),
});

/** Connection settings of one side: Airbyte's source-postgres / destination-postgres fields. */
export const CloneConnectionConfig = z.looseObject({
  host: z.string().min(1, "host must not be empty"),
  port: z.number().int().min(1).max(65_535).optional(),
  database: z.string().min(1, "database must not be empty"),
  username: z.string().min(1, "username must not be empty"),
  password: z.string().optional(),
  /** Source only: the schemas to clone (default: every schema that is not Postgres' own). */
  schemas: z.array(z.string().min(1)).min(1).optional(),
  ssl_mode: SslMode.optional(),
  ssl: z.boolean().optional(),
  jdbc_url_params: z.string().optional(),
  tunnel_method: z.looseObject({ tunnel_method: z.string().optional() }).optional(),
});
export type CloneConnectionConfig = z.infer<typeof CloneConnectionConfig>;

/** One side of the clone: `{ connector: postgres, config: { host, database, … } }`. */
export const CloneEndpoint = z.strictObject({
  connector: z.enum(["postgres", "mysql"], { error: "connector: postgres (mysql is not supported yet)" }),
  config: CloneConnectionConfig,
});
export type CloneEndpoint = z.infer<typeof CloneEndpoint>;

/** Where a subset starts: a table with a share of its rows, a condition, or both. */
export const SubsetStart = z
  .strictObject({
    table: z.string().min(1),
    /** Keep this share of the table's rows (of those matching `where`, when given). */
    percent: z.number().gt(0, "percent must be above 0").max(100, "percent must be at most 100").optional(),
    /** A SQL condition on the table's columns, run on the source: `created_at >= '2024-01-01'`. */
    where: z.string().min(1).optional(),
  })
  .refine((start) => start.percent !== undefined || start.where !== undefined, {
    message: "give percent, where, or both",
  });
export type SubsetStart = z.infer<typeof SubsetStart>;

export const SubsetConfig = z.strictObject({
  /** Makes the percent choice repeatable: the same seed and data give the same rows. */
  seed: z.union([z.string(), z.number()]).optional(),
  start: z.array(SubsetStart).min(1, "start: name at least one table"),
  /** Also keep the rows that reference kept rows of the start tables, and theirs (default true). */
  children: z.boolean().optional(),
  /** Tables the start tables do not reach: copied in `full` (default) or left `empty`. */
  other_tables: z.enum(["full", "empty"]).optional(),
});
export type SubsetConfig = z.infer<typeof SubsetConfig>;

/** `512MB`, `1.5GB`, `0` (never), or a number of bytes. */
const ByteSize = z.union([
  z.number().int().min(0),
  z.string().regex(/^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|kB|KiB|MiB|GiB|TiB)?\s*$/i, "a size like 512MB or 2GB"),
]);

/**
 * A clone file. Example:
 * `CloneConfig.parse({ source: { connector: "postgres", config: {…} }, destination: {…}, masking: { users: [...] } })`.
 */
export const CloneConfig = z.strictObject({
  source: CloneEndpoint,
  destination: CloneEndpoint,
  /** Only these tables (`schema.name` or `name`; `*` matches any characters). Default: all. */
  include_tables: z.array(z.string().min(1)).optional(),
  /** Tables left out, in the same form. */
  exclude_tables: z.array(z.string().min(1)).optional(),
  /** Mappers per table, in the pipeline's syntax: `{ public.users: [{ type: hash, field: email, key: … }] }`. */
  masking: z.record(z.string().min(1), MapperConfigList).optional(),
  subset: SubsetConfig.optional(),
  /** Tables (or parts of tables) copied at once, and indexes built at once (default 4). */
  parallel: z.number().int().min(1).max(32).optional(),
  /** Tables bigger than this are copied in parallel parts by key ranges (default 256MB; 0: never). */
  split_tables_larger_than: ByteSize.optional(),
  /** When the destination already has a table, view, sequence or type to create: `fail` (default), or `drop` it first (CASCADE). */
  on_existing: z.enum(["fail", "drop"]).optional(),
});
export type CloneConfig = z.infer<typeof CloneConfig>;

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Bytes of a size setting: `parseByteSize("512MB") // 536870912`. Sizes count in 1024s, as Postgres' do. */
export function parseByteSize(size: string | number): number {
  if (typeof size === "number") return size;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(size);
  if (match === null) return Number.NaN;
  const unit = UNITS[(match[2] ?? "").toLowerCase() || "b"];
  return unit === undefined ? Number.NaN : Math.round(Number(match[1]) * unit);
}
