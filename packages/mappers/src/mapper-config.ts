import { z } from "zod";
import { parseAesKey } from "./aes-gcm-cipher.js";

// The mapper configuration as the pipeline file and the server store it: plain JSON, one list
// per stream, applied in order. Every object is strict, so a misspelt option is an error that
// names it. Defaults are applied when a list is compiled, not here, so a stored configuration
// stays as its author wrote it. Version 1 of the format: later versions may add types and
// options, never change what an existing one means.

/** `email`, a nested path `address.city`, or the same as a list: `[address, city]`. */
export const FieldPathConfig = z.union([
  z.string().min(1, "a field name must not be empty"),
  z.array(z.string().min(1, "a field name must not be empty")).min(1, "a field path must not be empty"),
]);
export type FieldPathConfig = z.infer<typeof FieldPathConfig>;

const field = FieldPathConfig;
/** `${NAME}`, as the pipeline file writes a value from the environment. */
const fromEnvironment = (name: string) => `\${${name}}`;
const HASH_KEY = fromEnvironment("WEIR_HASH_KEY");
const ENCRYPTION_KEY = fromEnvironment("WEIR_ENCRYPTION_KEY");
const secret = (mapper: string, example: string) =>
  z
    .string({ error: `${mapper} needs a key: a secret string, e.g. "${example}"` })
    .min(1, `${mapper}: the key is empty (is its environment variable set?)`);

/** Algorithms of the `hash` mapper; `hmac-sha256` (keyed) is the default. */
export const HashAlgorithm = z.enum(["hmac-sha256", "md5", "sha1", "sha256", "sha512"]);
export type HashAlgorithm = z.infer<typeof HashAlgorithm>;

export const HashMapperConfig = z
  .strictObject({
    type: z.literal("hash"),
    field,
    /** The HMAC key (its UTF-8 bytes); required for `hmac-sha256`. */
    key: z.string().optional(),
    algorithm: HashAlgorithm.optional(),
    /** `hex` (lowercase, the default) or `base64`. */
    encoding: z.enum(["hex", "base64"]).optional(),
  })
  .superRefine((config, context) => {
    const keyed = (config.algorithm ?? "hmac-sha256") === "hmac-sha256";
    if (keyed && config.key === undefined) {
      context.addIssue({
        code: "custom",
        path: ["key"],
        message: `hash needs a key for hmac-sha256: a secret string, e.g. "${HASH_KEY}"`,
      });
    } else if (keyed && config.key === "") {
      context.addIssue({
        code: "custom",
        path: ["key"],
        message: "hash: the key is empty (is its environment variable set?)",
      });
    } else if (!keyed && config.key !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["key"],
        message: `hash: ${config.algorithm} takes no key; use algorithm hmac-sha256 for a keyed hash`,
      });
    }
  });
export type HashMapperConfig = z.infer<typeof HashMapperConfig>;

/** Kinds of fake values. */
export const FakeKind = z.enum([
  "first_name",
  "last_name",
  "full_name",
  "username",
  "email",
  "phone",
  "street_address",
  "city",
  "postcode",
  "country",
  "company",
  "iban",
  "credit_card",
  "ipv4",
  "uuid",
  "date",
  "number",
  "text",
]);
export type FakeKind = z.infer<typeof FakeKind>;

export const FakeMapperConfig = z.strictObject({
  type: z.literal("fake"),
  field,
  kind: FakeKind,
  /** Makes the fakes deterministic and unguessable: the same value and key give the same fake. */
  key: secret("fake", HASH_KEY),
});
export type FakeMapperConfig = z.infer<typeof FakeMapperConfig>;

const count = z.number().int().min(0);

export const MaskMapperConfig = z.strictObject({
  type: z.literal("mask"),
  field,
  keep_first: count.optional(),
  keep_last: count.optional(),
  /** The replacement character (default `*`); `""` removes the masked characters. */
  with: z
    .string()
    .refine((text) => [...text].length <= 1, "with: one character, or an empty string")
    .optional(),
});
export type MaskMapperConfig = z.infer<typeof MaskMapperConfig>;

const JsonConstant = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const RedactMapperConfig = z.strictObject({
  type: z.literal("redact"),
  field,
  /** The fixed value written instead (default `"[redacted]"`). */
  value: JsonConstant.optional(),
});
export type RedactMapperConfig = z.infer<typeof RedactMapperConfig>;

export const NullifyMapperConfig = z.strictObject({ type: z.literal("nullify"), field });
export type NullifyMapperConfig = z.infer<typeof NullifyMapperConfig>;

export const DropMapperConfig = z.strictObject({ type: z.literal("drop"), field });
export type DropMapperConfig = z.infer<typeof DropMapperConfig>;

export const RenameMapperConfig = z.strictObject({
  type: z.literal("rename"),
  field,
  /** The new name, in the same object as the field. */
  to: z.string().min(1, "rename: to must not be empty"),
});
export type RenameMapperConfig = z.infer<typeof RenameMapperConfig>;

export const ShiftDateMapperConfig = z.strictObject({
  type: z.literal("shift_date"),
  field,
  /** Dates move by 1 to `max_days` days, earlier or later, never by zero. */
  max_days: z.number().int().min(1).max(36_500),
  key: secret("shift_date", HASH_KEY),
  /** Derive the offset from this field (e.g. `user_id`), so all dates of one entity move together. */
  by: field.optional(),
});
export type ShiftDateMapperConfig = z.infer<typeof ShiftDateMapperConfig>;

/** Units the `round` mapper truncates dates and timestamps to. */
export const DateUnit = z.enum(["year", "month", "day", "hour", "minute", "second"]);
export type DateUnit = z.infer<typeof DateUnit>;

export const RoundMapperConfig = z
  .strictObject({
    type: z.literal("round"),
    field,
    /** Decimal places for numbers (default 0); negative rounds to tens (-1), hundreds (-2)… */
    precision: z.number().int().min(-15).max(15).optional(),
    /** For dates and timestamps: the unit they are truncated to. */
    unit: DateUnit.optional(),
  })
  .refine((config) => config.precision === undefined || config.unit === undefined, {
    message: "round: give precision (numbers) or unit (dates), not both",
    path: ["unit"],
  });
export type RoundMapperConfig = z.infer<typeof RoundMapperConfig>;

const aesKey = (mapper: string) =>
  secret(mapper, ENCRYPTION_KEY).refine(
    (key) => key === "" || parseAesKey(key) !== undefined,
    `${mapper}: the key must be 256 bits: 64 hex characters or base64 of 32 bytes (e.g. from \`openssl rand -hex 32\`)`,
  );

export const EncryptMapperConfig = z.strictObject({
  type: z.literal("encrypt"),
  field,
  key: aesKey("encrypt"),
});
export type EncryptMapperConfig = z.infer<typeof EncryptMapperConfig>;

export const DecryptMapperConfig = z.strictObject({
  type: z.literal("decrypt"),
  field,
  key: aesKey("decrypt"),
  /** The field's JSON schema once decrypted (default: a nullable string). */
  json_schema: z.record(z.string(), z.unknown()).optional(),
});
export type DecryptMapperConfig = z.infer<typeof DecryptMapperConfig>;

export const FilterMapperConfig = z.strictObject({
  type: z.literal("filter"),
  /** Keep the records matching this condition, e.g. `age >= 30 and nationality != 'Italian'`. */
  where: z.string().min(1, "filter: where must not be empty"),
});
export type FilterMapperConfig = z.infer<typeof FilterMapperConfig>;

export const SetMapperConfig = z
  .strictObject({
    type: z.literal("set"),
    field,
    /** A constant. */
    value: z.json().optional(),
    /** A copy of another field. */
    from: field.optional(),
    /** Text with `{field}` placeholders, e.g. `"{first_name} {last_name}"`. */
    template: z.string().optional(),
    /** A boolean: whether the record matches a condition, in the filter's language. */
    where: z.string().min(1).optional(),
  })
  .refine(
    (config) =>
      [config.value, config.from, config.template, config.where].filter((v) => v !== undefined).length === 1,
    { message: "set: give exactly one of value, from, template or where" },
  );
export type SetMapperConfig = z.infer<typeof SetMapperConfig>;

export const JavascriptMapperConfig = z.strictObject({
  type: z.literal("javascript"),
  /** A JavaScript module file (ESM), relative to the pipeline file. */
  module: z.string().min(1),
  /** The exported function (default: the default export). */
  export: z.string().min(1).optional(),
  /** How the function changes the schema: a top-level field's JSON schema, or null when it removes it. */
  fields: z.record(z.string(), z.union([z.record(z.string(), z.unknown()), z.null()])).optional(),
  /** A batch the function has not finished after this long fails the sync (default 60). */
  timeout_seconds: z.number().positive().optional(),
});
export type JavascriptMapperConfig = z.infer<typeof JavascriptMapperConfig>;

const mapperTypes = [
  "hash",
  "fake",
  "mask",
  "redact",
  "nullify",
  "drop",
  "rename",
  "shift_date",
  "round",
  "encrypt",
  "decrypt",
  "filter",
  "set",
  "javascript",
] as const;

/**
 * One mapper of a stream, e.g. `{ type: "hash", field: "email", key: "${WEIR_HASH_KEY}" }`.
 * Example: `MapperConfig.parse({ type: "drop", field: "blood_type" })`.
 */
export const MapperConfig = z.discriminatedUnion(
  "type",
  [
    HashMapperConfig,
    FakeMapperConfig,
    MaskMapperConfig,
    RedactMapperConfig,
    NullifyMapperConfig,
    DropMapperConfig,
    RenameMapperConfig,
    ShiftDateMapperConfig,
    RoundMapperConfig,
    EncryptMapperConfig,
    DecryptMapperConfig,
    FilterMapperConfig,
    SetMapperConfig,
    JavascriptMapperConfig,
  ],
  {
    error: (issue) => {
      if (issue.code !== "invalid_union") return undefined;
      const input = issue.input as { type?: unknown } | undefined;
      const type = typeof input === "object" && input !== null ? input.type : undefined;
      const known = `one of ${mapperTypes.join(", ")}`;
      return type === undefined
        ? `a mapper needs a type: ${known}`
        : `unknown mapper type ${JSON.stringify(type)}: expected ${known}`;
    },
  },
);
export type MapperConfig = z.infer<typeof MapperConfig>;

/** A stream's mappers, applied in order. Example: `MapperConfigList.parse([{ type: "drop", field: "x" }])`. */
export const MapperConfigList = z.array(MapperConfig);
export type MapperConfigList = z.infer<typeof MapperConfigList>;

/**
 * What to do with a record that does not match its stream's schema (after the mappers):
 * `off` (default), `warn` (count, log the first examples), `skip` (drop and count), `fail`.
 * Example: `RecordValidationMode.parse("warn")`.
 */
export const RecordValidationMode = z.enum(["off", "warn", "skip", "fail"]);
export type RecordValidationMode = z.infer<typeof RecordValidationMode>;

/**
 * A copy of a mapper list with every key replaced by `"**********"`, for API answers and logs.
 * Example: `redactMapperKeys([{ type: "hash", field: "email", key: "s3cret" }])[0].key // "**********"`
 */
export function redactMapperKeys(mappers: readonly MapperConfig[]): MapperConfig[] {
  return mappers.map((mapper) =>
    "key" in mapper && mapper.key !== undefined ? { ...mapper, key: "**********" } : mapper,
  );
}
