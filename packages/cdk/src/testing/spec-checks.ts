import type { ConnectorSpecification } from "@weir/protocol";
import { compileJsonSchema } from "../json-schema-compiler.js";

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// Airbyte's acceptance tests (test_secret_is_properly_marked) use these exact names; we add a
// few common compounds that can only mean a secret.
const SECRET_NAMES = new Set([
  "client_token",
  "access_token",
  "api_token",
  "token",
  "secret",
  "client_secret",
  "password",
  "key",
  "service_account_info",
  "service_account",
  "tenant_id",
  "certificate",
  "jwt",
  "credentials",
  "app_id",
  "appid",
  "refresh_token",
  "api_key",
  "private_key",
  "secret_key",
  "secret_access_key",
  "passphrase",
]);

const typesOf = (node: Node): string[] =>
  Array.isArray(node.type)
    ? node.type.filter((t): t is string => typeof t === "string")
    : typeof node.type === "string"
      ? [node.type]
      : [];

/** Whether a property could hold a secret value: a string or number that is not a constant. */
const canHoldSecret = (node: Node) =>
  node.const === undefined && typesOf(node).some((t) => t === "string" || t === "integer" || t === "number");

/** Walks every property of a spec: name, schema and dotted path. */
function eachProperty(
  node: Node,
  path: string,
  visit: (name: string, schema: Node, path: string) => void,
): void {
  for (const keyword of ["oneOf", "anyOf", "allOf"]) {
    const variants = node[keyword];
    if (Array.isArray(variants)) for (const v of variants) if (isNode(v)) eachProperty(v, path, visit);
  }
  if (isNode(node.items)) eachProperty(node.items, `${path}[]`, visit);
  if (!isNode(node.properties)) return;
  for (const [name, schema] of Object.entries(node.properties)) {
    if (!isNode(schema)) continue;
    const at = path === "" ? name : `${path}.${name}`;
    visit(name, schema, at);
    eachProperty(schema, at, visit);
  }
}

/**
 * What is wrong with a connector's spec, as Airbyte's acceptance tests see it: an empty list when
 * it is fine. Example: `specProblems(spec) // ['password: looks secret but is not marked airbyte_secret']`
 */
export function specProblems(spec: ConnectorSpecification): string[] {
  const problems: string[] = [];
  if (typeof spec.protocol_version !== "string") problems.push("protocol_version is missing");
  const schema = spec.connectionSpecification;
  try {
    compileJsonSchema(schema);
  } catch (error) {
    problems.push(`connectionSpecification is not a valid JSON Schema: ${String(error)}`);
    return problems;
  }
  if (schema.type !== "object") problems.push('connectionSpecification must have type "object"');
  if (JSON.stringify(schema).includes('"$ref"')) problems.push("connectionSpecification must not use $ref");
  eachProperty(schema, "", (name, property, path) => {
    const secret = property.airbyte_secret === true;
    if (!secret && SECRET_NAMES.has(name.toLowerCase()) && canHoldSecret(property)) {
      problems.push(`${path}: looks secret but is not marked airbyte_secret`);
    }
    if (secret && !canHoldSecret(property) && property.oneOf === undefined) {
      problems.push(`${path}: is marked airbyte_secret but cannot hold a secret value`);
    }
  });
  return problems;
}
