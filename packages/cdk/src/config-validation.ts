import { type ConnectorSpecification, compileJsonSchema } from "@weir/protocol";
import type { ErrorObject, ValidateFunction } from "ajv";
import { isSecretField } from "./secret-fields.js";

/** One reason a config is invalid, e.g. `{ path: "count", message: 'must be integer, got "foo"' }`. */
export interface ConfigIssue {
  /** Dotted path of the field, `hosts[0].port` style; "" for the config as a whole. */
  readonly path: string;
  readonly message: string;
}

export type ConfigValidation =
  | { readonly ok: true; readonly config: Record<string, unknown> }
  | { readonly ok: false; readonly message: string; readonly issues: readonly ConfigIssue[] };

// Compiled once per connection specification object: a connector's spec is a constant.
const validators = new WeakMap<object, ValidateFunction>();

function validatorFor(spec: ConnectorSpecification): ValidateFunction {
  const schema = spec.connectionSpecification;
  let validate = validators.get(schema);
  if (validate === undefined) {
    try {
      validate = compileJsonSchema(schema, { useDefaults: true });
    } catch (error) {
      // A broken spec is a bug in the connector, not a user error: it throws.
      throw new Error(`The connector's connectionSpecification is not a valid JSON Schema: ${String(error)}`);
    }
    validators.set(schema, validate);
  }
  return validate;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function formatPath(segments: readonly string[]): string {
  let out = "";
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let value = data;
  for (const segment of segments) {
    if (Array.isArray(value)) value = value[Number(segment)];
    else if (isObject(value)) value = value[segment];
    else return undefined;
  }
  return value;
}

/** A short description of what the user gave; never the content of an object or array. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const quoted = JSON.stringify(value);
    return quoted.length > 60 ? `${quoted.slice(0, 57)}…"` : quoted;
  }
  return String(value);
}

/**
 * With allErrors, a failed oneOf/anyOf reports the errors of every variant. Keep only those of
 * the variant the user most likely meant (fewest errors, discriminator matched), so the message
 * says "password is required" rather than listing what every other variant wanted.
 */
function pruneVariantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = [...errors];
  const combinators = errors
    .filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf")
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const combinator of combinators) {
    if (!kept.includes(combinator)) continue;
    const prefix = `${combinator.schemaPath}/`;
    const byVariant = new Map<string, ErrorObject[]>();
    for (const error of kept) {
      if (!error.schemaPath.startsWith(prefix)) continue;
      const variant = error.schemaPath.slice(prefix.length).split("/")[0] ?? "";
      byVariant.set(variant, [...(byVariant.get(variant) ?? []), error]);
    }
    if (byVariant.size === 0) continue;
    const score = (list: ErrorObject[]) =>
      list.filter((e) => e.keyword === "const" || e.keyword === "enum").length * 1000 + list.length;
    const best = [...byVariant.values()].sort((a, b) => score(a) - score(b))[0] ?? [];
    const dropped = new Set([...byVariant.values()].filter((list) => list !== best).flat());
    dropped.add(combinator);
    kept = kept.filter((e) => !dropped.has(e));
  }
  return kept;
}

function toIssue(spec: ConnectorSpecification, error: ErrorObject, data: unknown): ConfigIssue {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required" && typeof params.missingProperty === "string") {
    return { path: formatPath([...segments, params.missingProperty]), message: "is required" };
  }
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    return { path: formatPath([...segments, params.additionalProperty]), message: "is not allowed" };
  }
  let message = error.message ?? `fails ${error.keyword}`;
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  // The value is quoted to help the user, unless it is a secret (or holds one).
  if (!isSecretField(spec, segments)) message += `, got ${describeValue(valueAt(data, segments))}`;
  return { path: formatPath(segments), message };
}

/** One issue as text; the whole config is called `config`. Example: `formatConfigIssue({ path: "count", message: "is required" }) // "count: is required"` */
export function formatConfigIssue(issue: ConfigIssue): string {
  return `${issue.path === "" ? "config" : issue.path}: ${issue.message}`;
}

/**
 * Validates a config against a connector's spec and applies the spec's defaults (on a copy).
 * Top-level keys starting with `_` are not validated, as in Airbyte's acceptance tests.
 * Example: `validateConfig(spec, { count: "foo" }) // { ok: false, message: 'count: must be integer, got "foo"', … }`
 */
export function validateConfig(spec: ConnectorSpecification, config: unknown): ConfigValidation {
  const validate = validatorFor(spec);
  const copy: unknown = structuredClone(config);
  const ignored: Record<string, unknown> = {};
  if (isObject(copy)) {
    for (const key of Object.keys(copy)) {
      if (key.startsWith("_")) {
        ignored[key] = copy[key];
        delete copy[key];
      }
    }
  }
  if (validate(copy) && isObject(copy)) return { ok: true, config: { ...copy, ...ignored } };
  const errors = validate.errors ?? [];
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of pruneVariantErrors(errors)) {
    const issue = toIssue(spec, error, copy);
    const text = formatConfigIssue(issue);
    if (seen.has(text)) continue;
    seen.add(text);
    issues.push(issue);
  }
  // A spec that accepts non-objects still cannot produce a usable config.
  if (issues.length === 0)
    issues.push({ path: "", message: `must be an object, got ${describeValue(copy)}` });
  return { ok: false, message: issues.map(formatConfigIssue).join("; "), issues };
}
