import { type FieldPath, fieldPathText, isPlainObject } from "./field-path.js";

/** A JSON Schema node. */
export type SchemaNode = Record<string, unknown>;

// Airbyte's legacy type references (well_known_types.yaml), read as the types they stand for.
const WELL_KNOWN_TYPES: Record<string, string> = {
  String: "string",
  BinaryData: "string",
  Date: "string",
  TimestampWithTimezone: "string",
  TimestampWithoutTimezone: "string",
  TimeWithTimezone: "string",
  TimeWithoutTimezone: "string",
  Number: "number",
  Integer: "integer",
  Boolean: "boolean",
};

/**
 * The JSON types a schema node allows, or undefined when it allows anything (no `type`, or a
 * construct we do not read). `{"type":"number","airbyte_type":"integer"}` counts as integer.
 * Example: `schemaTypes({ type: ["null", "string"] }) // Set { "null", "string" }`.
 */
export function schemaTypes(node: SchemaNode | undefined): Set<string> | undefined {
  if (node === undefined) return undefined;
  const { type } = node;
  if (typeof type === "string" || Array.isArray(type)) {
    const types = new Set<string>(
      typeof type === "string" ? [type] : type.filter((t) => typeof t === "string"),
    );
    if (node.airbyte_type === "integer" && types.delete("number")) types.add("integer");
    return types;
  }
  if (typeof node.$ref === "string") {
    const name = /#\/definitions\/(\w+)$/.exec(node.$ref)?.[1];
    const mapped = name === undefined ? undefined : WELL_KNOWN_TYPES[name];
    return mapped === undefined ? undefined : new Set([mapped]);
  }
  const variants = node.oneOf ?? node.anyOf;
  if (Array.isArray(variants)) {
    const types = new Set<string>();
    for (const variant of variants) {
      const inner = isPlainObject(variant) ? schemaTypes(variant) : undefined;
      if (inner === undefined) return undefined;
      for (const t of inner) types.add(t);
    }
    return types;
  }
  return undefined;
}

/** Whether a node may hold null: it says so, or it does not restrict the type at all. */
export function isNullable(node: SchemaNode): boolean {
  const types = schemaTypes(node);
  return types === undefined || types.has("null");
}

/**
 * A node for a field whose values a mapper replaced by values of `type`: the field's title and
 * description are kept, its old constraints are not. Nullable when the old node was, or when
 * the mapper may null values it cannot map.
 */
export function retypedNode(
  old: SchemaNode,
  type: string,
  nullable: boolean,
  extra: SchemaNode = {},
): SchemaNode {
  const node: SchemaNode = { type: nullable || isNullable(old) ? ["null", type] : type, ...extra };
  if (typeof old.title === "string") node.title = old.title;
  if (typeof old.description === "string") node.description = old.description;
  return node;
}

/** A node that accepts what it did and null too. */
export function nullableNode(old: SchemaNode): SchemaNode {
  if (isNullable(old)) return old;
  const types = schemaTypes(old);
  if (types === undefined) return old;
  const { $ref: _ref, ...rest } = old;
  return { ...rest, type: ["null", ...types] };
}

/** Where a field sits in a schema. */
interface Located {
  readonly parent: SchemaNode;
  readonly properties: Record<string, SchemaNode>;
  readonly name: string;
  readonly node: SchemaNode;
}

/** A field the schema does not declare, for the config error. */
export interface MissingField {
  readonly path: FieldPath;
  /** The fields declared where the missing one was looked for. */
  readonly siblings: readonly string[];
}

/**
 * A stream's JSON schema as the mappers rewrite it, one mapper after the other. Works on a
 * deep copy: the input schema is never changed.
 * Example: `const s = new StreamSchemaEditor(schema); s.rename(["occupation"], "job"); s.schema`.
 */
export class StreamSchemaEditor {
  readonly schema: SchemaNode;

  constructor(schema: SchemaNode) {
    this.schema = structuredClone(schema);
  }

  #locate(path: FieldPath): Located | MissingField {
    let node = this.schema;
    for (let i = 0; i < path.length; i++) {
      const name = path[i] as string;
      const properties = node.properties;
      const siblings = isPlainObject(properties) ? Object.keys(properties) : [];
      const child = isPlainObject(properties) ? properties[name] : undefined;
      if (!isPlainObject(child) || !Object.hasOwn(properties as object, name)) {
        return { path: path.slice(0, i + 1), siblings };
      }
      if (i === path.length - 1) {
        return { parent: node, properties: properties as Record<string, SchemaNode>, name, node: child };
      }
      node = child;
    }
    return { path, siblings: [] };
  }

  /** The field's node, or what is missing. */
  find(path: FieldPath): { node: SchemaNode } | MissingField {
    const found = this.#locate(path);
    return "node" in found ? { node: found.node } : found;
  }

  /** Whether the object holding `path`'s last field exists (so the field can be added there). */
  findParent(path: FieldPath): { exists: true } | MissingField {
    if (path.length === 1) return { exists: true };
    const found = this.#locate(path.slice(0, -1));
    return "node" in found ? { exists: true } : found;
  }

  replace(path: FieldPath, node: SchemaNode): void {
    const found = this.#locate(path);
    if ("node" in found) found.properties[found.name] = node;
  }

  /** Adds or replaces a field; its parent object must exist. */
  put(path: FieldPath, node: SchemaNode): void {
    const name = path[path.length - 1] as string;
    if (path.length === 1) {
      if (!isPlainObject(this.schema.properties)) this.schema.properties = {};
      (this.schema.properties as Record<string, SchemaNode>)[name] = node;
      return;
    }
    const parent = this.#locate(path.slice(0, -1));
    if (!("node" in parent)) return;
    if (!isPlainObject(parent.node.properties)) parent.node.properties = {};
    (parent.node.properties as Record<string, SchemaNode>)[name] = node;
  }

  remove(path: FieldPath): void {
    const found = this.#locate(path);
    if (!("node" in found)) return;
    delete found.properties[found.name];
    const required = found.parent.required;
    if (Array.isArray(required)) found.parent.required = required.filter((r) => r !== found.name);
  }

  /** Renames a field in place, keeping its position among its siblings (the destination's column order). */
  rename(path: FieldPath, to: string): void {
    const found = this.#locate(path);
    if (!("node" in found)) return;
    const renamed: Record<string, SchemaNode> = {};
    for (const [name, node] of Object.entries(found.properties))
      renamed[name === found.name ? to : name] = node;
    found.parent.properties = renamed;
    const required = found.parent.required;
    if (Array.isArray(required)) found.parent.required = required.map((r) => (r === found.name ? to : r));
  }
}

/**
 * The config error for a field the schema lacks, naming stream, mapper and field.
 * Example: `stream users: mapper 2 (hash): field "emial" is not in the stream's schema; its fields are id, email`.
 */
export function missingFieldMessage(streamName: string, mapper: string, missing: MissingField): string {
  const where = missing.path.length > 1 ? ` in ${fieldPathText(missing.path.slice(0, -1))}` : "";
  const shown = missing.siblings.slice(0, 30).join(", ");
  const more = missing.siblings.length > 30 ? `, … (${missing.siblings.length} in all)` : "";
  const known =
    missing.siblings.length === 0
      ? "the schema declares no fields there"
      : `its fields${where} are ${shown}${more}`;
  return `stream ${streamName}: ${mapper}: field "${fieldPathText(missing.path)}" is not in the stream's schema; ${known}`;
}
