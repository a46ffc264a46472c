import { isSecretField, SECRET_MASK } from "@weir/cdk";
import type { ConnectorSpecification } from "@weir/protocol";
import type { SecretBox } from "./secret-box.js";

const SEALED_KEY = "$weir_sealed";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isSealed = (value: unknown): value is { [SEALED_KEY]: string } =>
  isObject(value) && Object.keys(value).length === 1 && typeof value[SEALED_KEY] === "string";

function mapSecrets(
  spec: ConnectorSpecification,
  value: unknown,
  at: readonly string[],
  onSecret: (value: unknown, at: readonly string[]) => unknown,
): unknown {
  if (at.length > 0 && value !== undefined && value !== null && isSecretField(spec, at))
    return onSecret(value, at);
  if (Array.isArray(value))
    return value.map((item, i) => mapSecrets(spec, item, [...at, String(i)], onSecret));
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapSecrets(spec, item, [...at, key], onSecret)]),
    );
  return value;
}

/**
 * A config as stored: each `airbyte_secret` value encrypted in place.
 * Example: `sealConfig(spec, { password: "x" }, box) // { password: { $weir_sealed: "weir:v1:…" } }`
 */
export function sealConfig(spec: ConnectorSpecification, config: Json, box: SecretBox): Json {
  return mapSecrets(spec, config, [], (value) => ({ [SEALED_KEY]: box.seal(JSON.stringify(value)) })) as Json;
}

function walkSealed(value: unknown, onSealed: (sealed: string) => unknown): unknown {
  if (isSealed(value)) return onSealed(value[SEALED_KEY]);
  if (Array.isArray(value)) return value.map((item) => walkSealed(item, onSealed));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walkSealed(v, onSealed)]));
  return value;
}

/** The plain config a connector needs. Example: `openConfig(stored, box).password // "x"` */
export function openConfig(stored: Json, box: SecretBox): Json {
  return walkSealed(stored, (sealed) => JSON.parse(box.open(sealed)) as unknown) as Json;
}

/** The config as an API answer shows it: every secret is `**********`. Example: `maskConfig(stored)`. */
export function maskConfig(stored: Json): Json {
  return walkSealed(stored, () => SECRET_MASK) as Json;
}

function valueAt(value: unknown, at: readonly string[]): unknown {
  let current = value;
  for (const segment of at) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isObject(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

/**
 * Where a client sent the mask back for a secret field, the stored value stays.
 * Example: `keepMaskedSecrets(spec, { password: "**********" }, { password: "x" }) // { password: "x" }`
 */
export function keepMaskedSecrets(spec: ConnectorSpecification, incoming: Json, current: Json): Json {
  return mapSecrets(spec, incoming, [], (value, at) =>
    value === SECRET_MASK ? valueAt(current, at) : value,
  ) as Json;
}

/**
 * Airbyte's PATCH merge: objects merge key by key, anything else (arrays too) replaces.
 * Example: `mergeConfig({ a: { b: 1, c: 2 } }, { a: { c: 3 } }) // { a: { b: 1, c: 3 } }`
 */
export function mergeConfig(current: Json, patch: Json): Json {
  const out: Json = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const old = out[key];
    out[key] = isObject(old) && isObject(value) ? mergeConfig(old, value) : value;
  }
  return out;
}
