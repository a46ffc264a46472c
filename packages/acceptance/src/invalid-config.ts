import { isSchemaNode, validateConfig } from "@weir/cdk";
import type { ConnectorSpecification } from "@weir/protocol";

/** A config broken on purpose, and how, e.g. `{ config: {…}, description: "without the required field host" }`. */
export interface DerivedConfig {
  readonly config: Record<string, unknown>;
  readonly description: string;
}

const WRONG_VALUES: readonly (readonly [string, unknown])[] = [
  ['a string ("not-a-valid-value")', "not-a-valid-value"],
  ["a number (12345.5)", 12345.5],
  ["a boolean (true)", true],
  ["an object ({})", {}],
  ["an array ([])", []],
  ["null", null],
];

function isInvalid(spec: ConnectorSpecification, config: unknown): boolean {
  try {
    return !validateConfig(spec, config).ok;
  } catch {
    // A spec that is not JSON Schema cannot tell; the spec checks report it.
    return false;
  }
}

/**
 * A config the spec rejects, made from a working one as Airbyte's tests would write one by
 * hand: a required field dropped (one without a default, which would fill it back in), else a
 * field set to a value of the wrong type. Undefined when the spec leaves nothing to break.
 * Example: `deriveInvalidConfig(spec, { count: 10 }) // { config: { count: "not-a-valid-value" }, description: "with count set to a string …" }`
 */
export function deriveInvalidConfig(
  spec: ConnectorSpecification,
  config: unknown,
): DerivedConfig | undefined {
  if (!isSchemaNode(config)) return undefined;
  const schema = spec.connectionSpecification;
  const required = Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === "string")
    : [];
  for (const name of required) {
    if (!(name in config)) continue;
    const { [name]: _dropped, ...rest } = config;
    if (isInvalid(spec, rest)) return { config: rest, description: `without the required field ${name}` };
  }
  const declared = isSchemaNode(schema.properties) ? Object.keys(schema.properties) : [];
  // Fields the config sets first: breaking those is what a user gets wrong.
  const names = [...declared.filter((n) => n in config), ...declared.filter((n) => !(n in config))];
  for (const name of names) {
    for (const [what, value] of WRONG_VALUES) {
      const candidate = { ...config, [name]: value };
      if (isInvalid(spec, candidate))
        return { config: candidate, description: `with ${name} set to ${what}` };
    }
  }
  return undefined;
}
