import { isSchemaNode, type SchemaNode, shownPath, typesOf, walkSchema } from "./schema-walk.js";

// Airbyte's acceptance tests (test_secret_is_properly_marked) use these exact names; a few
// compounds that can only mean a secret are added.
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

const VALUE_TYPES = ["string", "integer", "number"];

/**
 * Fields whose name says "secret" (password, token, api_key…) but are not marked
 * `airbyte_secret`, and marked fields that cannot hold a secret value (boolean, object, const).
 * Example: `secretProblems({ properties: { password: { type: "string" } } }) // ["password: …"]`
 */
export function secretProblems(schema: SchemaNode): string[] {
  const problems: string[] = [];
  walkSchema(schema, (node, path, parent) => {
    if (parent === undefined) return;
    const types = typesOf(node);
    const holdsValue = node.const === undefined && types.some((t) => VALUE_TYPES.includes(t));
    const marked = node.airbyte_secret === true;
    if (!marked && holdsValue && SECRET_NAMES.has(parent.property.toLowerCase())) {
      problems.push(`${path}: looks like a secret but is not marked airbyte_secret`);
    }
    const cannotHold = node.const !== undefined || (types.length > 0 && !holdsValue);
    if (marked && cannotHold) {
      const what = node.const !== undefined ? "a const" : `of type ${types.join("/")}`;
      problems.push(`${path}: is marked airbyte_secret but is ${what}, which cannot hold a secret`);
    }
  });
  return problems;
}

/** Every `$ref`: Airbyte wants specs and stream schemas fully inlined. */
export function refProblems(schema: SchemaNode): string[] {
  const problems: string[] = [];
  walkSchema(schema, (node, path) => {
    if (node.$ref !== undefined) problems.push(`${shownPath(path)}: uses $ref ${JSON.stringify(node.$ref)}`);
  });
  return problems;
}

/**
 * `additionalProperties` that shut out new fields. Specs must say `true` where they say anything
 * (`exact`); stream schemas only must not say `false`.
 */
export function additionalPropertiesProblems(schema: SchemaNode, exact: boolean): string[] {
  const problems: string[] = [];
  walkSchema(schema, (node, path) => {
    const value = node.additionalProperties;
    if (value === undefined) return;
    if (value === false || (exact && value !== true)) {
      problems.push(`${shownPath(path)}: additionalProperties is ${JSON.stringify(value)}, it must be true`);
    }
  });
  return problems;
}

/** `enum` lists that name a value twice. */
export function enumProblems(schema: SchemaNode): string[] {
  const problems: string[] = [];
  walkSchema(schema, (node, path) => {
    if (!Array.isArray(node.enum)) return;
    const seen = new Set<string>();
    for (const value of node.enum) {
      const key = JSON.stringify(value);
      if (seen.has(key)) problems.push(`${shownPath(path)}: enum lists ${key} twice`);
      seen.add(key);
    }
  });
  return problems;
}

/** `type` lists other than `[t]` or a type with "null" (Airbyte's UI cannot render other unions). */
export function typeListProblems(schema: SchemaNode): string[] {
  const problems: string[] = [];
  walkSchema(schema, (node, path) => {
    if (!Array.isArray(node.type)) return;
    const ok = node.type.length === 1 || (node.type.length === 2 && node.type.includes("null"));
    if (!ok)
      problems.push(`${shownPath(path)}: type ${JSON.stringify(node.type)} is a union Airbyte cannot show`);
  });
  return problems;
}

function variantProblems(node: SchemaNode, keyword: string, path: string): string[] {
  const variants = (node[keyword] as unknown[]).filter(isSchemaNode);
  const where = `${shownPath(path)}.${keyword}`;
  if (!typesOf(node).includes("object")) return [`${where}: the field holding it must have type object`];
  const properties = variants.map((v) => (isSchemaNode(v.properties) ? v.properties : undefined));
  if (properties.some((p) => p === undefined)) return [`${where}: every variant must have properties`];
  const lists = properties as Record<string, unknown>[];
  const shared = Object.keys(lists[0] ?? {}).filter((name) => lists.every((p) => name in p));
  if (shared.length === 0) return [`${where}: the variants share no property to tell them apart`];
  const constOf = (p: Record<string, unknown>, name: string) => {
    const field = p[name];
    return isSchemaNode(field) ? field.const : undefined;
  };
  const discriminators = shared.filter((name) => lists.every((p) => constOf(p, name) !== undefined));
  if (discriminators.length !== 1) {
    return [
      `${where}: exactly one shared property must have a const in every variant (found ${discriminators.length})`,
    ];
  }
  const name = discriminators[0] as string;
  const problems: string[] = [];
  for (const [i, p] of lists.entries()) {
    const field = p[name] as SchemaNode;
    if (field.default !== undefined && JSON.stringify(field.default) !== JSON.stringify(field.const)) {
      problems.push(`${where}[${i}].${name}: its default differs from its const`);
    }
    if (field.enum !== undefined && JSON.stringify(field.enum) !== JSON.stringify([field.const])) {
      problems.push(`${where}[${i}].${name}: its enum must be exactly [const]`);
    }
  }
  return problems;
}

/**
 * `oneOf`/`anyOf` as Airbyte's UI needs them (test_oneof_usage): on an object, each variant with
 * properties, one shared property with a `const` in every variant that says which variant it is.
 */
export function oneOfProblems(schema: SchemaNode): string[] {
  const problems: string[] = [];
  walkSchema(schema, (node, path) => {
    for (const keyword of ["oneOf", "anyOf"]) {
      if (Array.isArray(node[keyword])) problems.push(...variantProblems(node, keyword, path));
    }
  });
  return problems;
}
