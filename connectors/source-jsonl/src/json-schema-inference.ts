type JsonKind = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
// "null" first, as Airbyte writes nullable types.
const KIND_ORDER: readonly JsonKind[] = ["null", "boolean", "integer", "number", "string", "array", "object"];

function kindOf(value: unknown): JsonKind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "number":
      return Number.isInteger(value) ? "integer" : "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

interface FieldSeen {
  readonly kinds: Set<JsonKind>;
  allTimestamps: boolean;
}

/**
 * A permissive JSON schema of sample records: each top-level property seen, typed by the JSON
 * types of its values (`integer` and `number` merge to `number`; strings that are all RFC 3339
 * timestamps get `format: date-time`), with `additionalProperties: true`.
 * Example: `inferJsonSchema([{ id: 1 }])` → `{ type: "object", properties: { id: { type: "integer" } }, … }`.
 */
export function inferJsonSchema(samples: readonly Record<string, unknown>[]): Record<string, unknown> {
  const fields = new Map<string, FieldSeen>();
  for (const sample of samples) {
    for (const [key, value] of Object.entries(sample)) {
      let seen = fields.get(key);
      if (seen === undefined) {
        seen = { kinds: new Set(), allTimestamps: true };
        fields.set(key, seen);
      }
      const kind = kindOf(value);
      seen.kinds.add(kind);
      if (kind === "string" && !RFC_3339.test(value as string)) seen.allTimestamps = false;
    }
  }
  const properties: Record<string, unknown> = {};
  for (const [key, seen] of fields) {
    if (seen.kinds.has("integer") && seen.kinds.has("number")) seen.kinds.delete("integer");
    const kinds = KIND_ORDER.filter((k) => seen.kinds.has(k));
    // Only nulls seen: any type may come.
    if (kinds.length === 1 && kinds[0] === "null") {
      properties[key] = {};
      continue;
    }
    const property: Record<string, unknown> = { type: kinds.length === 1 ? kinds[0] : kinds };
    if (seen.kinds.has("string") && seen.allTimestamps) {
      property.format = "date-time";
      property.airbyte_type = "timestamp_with_timezone";
    }
    properties[key] = property;
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    additionalProperties: true,
    properties,
  };
}
