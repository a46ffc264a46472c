/** A JSON Schema object (a spec's connectionSpecification, a stream's json_schema, or a part of one). */
export type SchemaNode = Record<string, unknown>;

export const isSchemaNode = (value: unknown): value is SchemaNode =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The types a node declares, e.g. `["string", "null"]`; empty when it declares none. */
export function typesOf(node: SchemaNode): string[] {
  if (Array.isArray(node.type)) return node.type.filter((t): t is string => typeof t === "string");
  return typeof node.type === "string" ? [node.type] : [];
}

const COMBINATORS = ["oneOf", "anyOf", "allOf"] as const;

/** Where a node sits, for messages: `credentials.oneOf[1].password`; the root is `(root)`. */
export const shownPath = (path: string): string => (path === "" ? "(root)" : path);

const join = (path: string, part: string): string => (path === "" ? part : `${path}.${part}`);

/**
 * Visits a schema and every schema inside it (properties, items, combinator variants, not,
 * if/then/else, additionalProperties, patternProperties), never a property *name*: a field
 * called `allOf` is data, not a keyword. Example: `walkSchema(schema, (node, path) => …)`.
 */
export function walkSchema(
  node: SchemaNode,
  visit: (node: SchemaNode, path: string, parent: { node: SchemaNode; property: string } | undefined) => void,
  path = "",
  parent?: { node: SchemaNode; property: string },
): void {
  visit(node, path, parent);
  if (isSchemaNode(node.properties)) {
    for (const [name, child] of Object.entries(node.properties)) {
      if (isSchemaNode(child)) walkSchema(child, visit, join(path, name), { node, property: name });
    }
  }
  if (isSchemaNode(node.patternProperties)) {
    for (const [pattern, child] of Object.entries(node.patternProperties)) {
      if (isSchemaNode(child)) walkSchema(child, visit, join(path, `/${pattern}/`));
    }
  }
  if (isSchemaNode(node.additionalProperties)) {
    walkSchema(node.additionalProperties, visit, join(path, "additionalProperties"));
  }
  if (isSchemaNode(node.items)) walkSchema(node.items, visit, `${path}[]`);
  else if (Array.isArray(node.items)) {
    node.items.forEach((item, i) => {
      if (isSchemaNode(item)) walkSchema(item, visit, `${path}[${i}]`);
    });
  }
  for (const keyword of COMBINATORS) {
    const variants = node[keyword];
    if (!Array.isArray(variants)) continue;
    variants.forEach((variant, i) => {
      if (isSchemaNode(variant)) walkSchema(variant, visit, `${join(path, keyword)}[${i}]`);
    });
  }
  for (const keyword of ["not", "if", "then", "else"]) {
    const child = node[keyword];
    if (isSchemaNode(child)) walkSchema(child, visit, join(path, keyword));
  }
}

/** Whether a field path exists in a stream schema, following nested `properties`. */
export function schemaAtPath(schema: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode = schema;
  for (const segment of path) {
    const properties = node.properties;
    const child = isSchemaNode(properties) ? properties[segment] : undefined;
    if (!isSchemaNode(child)) return undefined;
    node = child;
  }
  return path.length > 0 ? node : undefined;
}
