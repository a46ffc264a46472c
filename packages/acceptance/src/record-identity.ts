import { clip } from "./text-clip.js";

type Key = readonly (readonly string[])[];

/** JSON with object keys sorted, so equal data gives equal text. Example: `canonicalJson({ b: 1, a: 2 }) // '{"a":2,"b":1}'` */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The value at a field path of a record, undefined when absent. Example: `valueAtPath({ a: { b: 1 } }, ["a", "b"]) // 1` */
export function valueAtPath(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** What makes a record the same record in two reads: its primary key, else all of its data. */
export function recordIdentity(data: unknown, key: Key | undefined): string {
  return key === undefined
    ? canonicalJson(data)
    : canonicalJson(key.map((path) => valueAtPath(data, path) ?? null));
}

/** A record named for a message: `id=3`, or its data cut short when there is no key. */
export function describeRecord(data: unknown, key: Key | undefined): string {
  if (key === undefined) return clip(JSON.stringify(data), 120);
  return key.map((path) => `${path.join(".")}=${JSON.stringify(valueAtPath(data, path) ?? null)}`).join(", ");
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Orders two cursor values: numbers by value, timestamps by time (whatever their offsets),
 * other strings as text; undefined when they cannot be compared (mixed types, null).
 * Example: `compareCursors("2024-01-02T00:00:00+01:00", "2024-01-01T23:30:00Z") // < 0`
 */
export function compareCursors(a: unknown, b: unknown): number | undefined {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a !== "string" || typeof b !== "string") return undefined;
  if (DATE_LIKE.test(a) && DATE_LIKE.test(b)) {
    const [x, y] = [Date.parse(a), Date.parse(b)];
    if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts of each identity. */
export function countIdentities(identities: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const identity of identities) counts.set(identity, (counts.get(identity) ?? 0) + 1);
  return counts;
}
