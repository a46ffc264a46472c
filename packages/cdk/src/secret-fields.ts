import type { ConnectorSpecification } from "@weir/protocol";

type SchemaNode = Record<string, unknown>;

/** What a secret value is replaced with in logs, errors and redacted configs. */
export const SECRET_MASK = "**********";

// Secrets this short would turn every "a" in a log line into stars; they are not real secrets.
const MIN_MASKED_LENGTH = 4;

const isNode = (value: unknown): value is SchemaNode =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The node itself and, recursively, the variants of its oneOf/anyOf/allOf. */
function expand(node: SchemaNode, out: SchemaNode[] = []): SchemaNode[] {
  out.push(node);
  for (const keyword of ["oneOf", "anyOf", "allOf"]) {
    const variants = node[keyword];
    if (Array.isArray(variants)) for (const variant of variants) if (isNode(variant)) expand(variant, out);
  }
  return out;
}

/** The schemas that may describe the child `segment` of a value described by `nodes`. */
function childSchemas(nodes: readonly SchemaNode[], segment: string): SchemaNode[] {
  const children: SchemaNode[] = [];
  for (const node of nodes) {
    for (const variant of expand(node)) {
      const properties = variant.properties;
      if (isNode(properties) && isNode(properties[segment])) children.push(properties[segment]);
      else if (isNode(variant.additionalProperties)) children.push(variant.additionalProperties);
      const items = variant.items;
      if (/^\d+$/.test(segment)) {
        if (isNode(items)) children.push(items);
        else if (Array.isArray(items) && isNode(items[Number(segment)]))
          children.push(items[Number(segment)]);
      }
    }
  }
  return children;
}

const marksSecret = (nodes: readonly SchemaNode[]): boolean =>
  nodes.some((node) => expand(node).some((variant) => variant.airbyte_secret === true));

/**
 * Whether the config field at `path` is (or lies inside) a field marked `airbyte_secret`.
 * Example: `isSecretField(spec, ["credentials", "password"]) // true`
 */
export function isSecretField(spec: ConnectorSpecification, path: readonly string[]): boolean {
  let nodes: SchemaNode[] = [spec.connectionSpecification];
  if (marksSecret(nodes)) return true;
  for (const segment of path) {
    nodes = childSchemas(nodes, segment);
    if (nodes.length === 0) return false;
    if (marksSecret(nodes)) return true;
  }
  return false;
}

function collectLeaves(value: unknown, out: Set<string>): void {
  if (typeof value === "string") out.add(value);
  else if (typeof value === "number" || typeof value === "bigint") out.add(String(value));
  else if (Array.isArray(value)) for (const item of value) collectLeaves(item, out);
  else if (isNode(value)) for (const item of Object.values(value)) collectLeaves(item, out);
}

function collectSecrets(nodes: readonly SchemaNode[], value: unknown, out: Set<string>): void {
  if (nodes.length === 0) return;
  if (marksSecret(nodes)) {
    collectLeaves(value, out);
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) collectSecrets(childSchemas(nodes, String(i)), item, out);
  } else if (isNode(value)) {
    for (const [key, item] of Object.entries(value)) collectSecrets(childSchemas(nodes, key), item, out);
  }
}

/**
 * The values of a config's secret fields, longest first.
 * Example: `secretValues(spec, { password: "hunter22" }) // ["hunter22"]`
 */
export function secretValues(spec: ConnectorSpecification, config: unknown): string[] {
  const found = new Set<string>();
  collectSecrets([spec.connectionSpecification], config, found);
  return [...found].filter((s) => s.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * A function that replaces every secret value of `config` in a text with stars: a last line of
 * defence for log lines and error messages that quote what a library said.
 * Example: `createSecretMasker(spec, config)("login failed for hunter22") // "login failed for **********"`
 */
export function createSecretMasker(spec: ConnectorSpecification, config: unknown): (text: string) => string {
  const secrets = secretValues(spec, config);
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let masked = text;
    for (const secret of secrets)
      if (masked.includes(secret)) masked = masked.split(secret).join(SECRET_MASK);
    return masked;
  };
}

function redact(nodes: readonly SchemaNode[], value: unknown): unknown {
  if (nodes.length === 0) return value;
  if (marksSecret(nodes)) return value === undefined || value === null ? value : SECRET_MASK;
  if (Array.isArray(value)) return value.map((item, i) => redact(childSchemas(nodes, String(i)), item));
  if (isNode(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(childSchemas(nodes, k), v)]));
  }
  return value;
}

/**
 * A copy of a config with every secret field's value replaced by stars, safe to log or show.
 * Example: `redactSecrets(spec, { host: "db", password: "x" }) // { host: "db", password: "**********" }`
 */
export function redactSecrets(spec: ConnectorSpecification, config: unknown): unknown {
  return redact([spec.connectionSpecification], config);
}
