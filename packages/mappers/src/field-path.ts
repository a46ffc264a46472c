import type { FieldPathConfig } from "./mapper-config.js";

/** A field's path from the record's top level, e.g. `["address", "city"]`. */
export type FieldPath = readonly string[];

/** Record data as the mappers see it. */
export type RecordData = Record<string, unknown>;

/**
 * `"address.city"` or `["address", "city"]` as a path; a name holding a dot is written as a
 * one-element list. Example: `parseFieldPath("address.city") // ["address", "city"]`.
 */
export function parseFieldPath(config: FieldPathConfig): FieldPath {
  return typeof config === "string" ? config.split(".") : config;
}

/** A path as users write it: `address.city`. */
export function fieldPathText(path: FieldPath): string {
  return path.join(".");
}

export const isPlainObject = (value: unknown): value is RecordData =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads and writes one field of record data; writes copy the nested objects they pass through. */
export interface FieldAccess {
  readonly path: FieldPath;
  /** The path as text, for `_airbyte_meta.changes` and messages. */
  readonly text: string;
  /** The value, or undefined when the field (or an object on the way) is absent. */
  get(data: RecordData): unknown;
  /**
   * Sets the value in `data`, which the caller owns; nested objects on the way are copied
   * first, since they still belong to the input record. False when an object on the way is absent.
   */
  set(data: RecordData, value: unknown): boolean;
  /** Removes the field (copying nested objects on the way). */
  remove(data: RecordData): void;
}

/** Example: `fieldAccess(["address", "city"]).get({ address: { city: "Oslo" } }) // "Oslo"`. */
export function fieldAccess(path: FieldPath): FieldAccess {
  const text = fieldPathText(path);
  if (path.length === 1) {
    const name = path[0] as string;
    return {
      path,
      text,
      get: (data) => data[name],
      set: (data, value) => {
        data[name] = value;
        return true;
      },
      remove: (data) => {
        delete data[name];
      },
    };
  }
  const last = path[path.length - 1] as string;
  const parents = path.slice(0, -1);
  // Copies each object from the top down to the field's parent, so the input stays untouched.
  const ownParent = (data: RecordData): RecordData | undefined => {
    let node = data;
    for (const name of parents) {
      const child = node[name];
      if (!isPlainObject(child)) return undefined;
      const copy = { ...child };
      node[name] = copy;
      node = copy;
    }
    return node;
  };
  return {
    path,
    text,
    get: (data) => {
      let node: unknown = data;
      for (const name of path) {
        if (!isPlainObject(node)) return undefined;
        node = node[name];
      }
      return node;
    },
    set: (data, value) => {
      const parent = ownParent(data);
      if (parent === undefined) return false;
      parent[last] = value;
      return true;
    },
    remove: (data) => {
      const parent = ownParent(data);
      if (parent !== undefined) delete parent[last];
    },
  };
}
