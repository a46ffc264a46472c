/** The DuckDB column types this destination creates. */
export type DuckdbColumnType =
  | "VARCHAR"
  | "BIGINT"
  | "DOUBLE"
  | "BOOLEAN"
  | "DATE"
  | "TIMESTAMP"
  | "TIMESTAMPTZ"
  | "TIME"
  | "TIMETZ"
  | "JSON";

// The legacy v1 type plan (`WellKnownTypes.json#/definitions/<Type>`), still mapped by Airbyte's bulk CDK.
const WELL_KNOWN_TYPES: Readonly<Record<string, DuckdbColumnType>> = {
  String: "VARCHAR",
  BinaryData: "VARCHAR",
  Date: "DATE",
  TimestampWithTimezone: "TIMESTAMPTZ",
  TimestampWithoutTimezone: "TIMESTAMP",
  TimeWithTimezone: "TIMETZ",
  TimeWithoutTimezone: "TIME",
  Number: "DOUBLE",
  Integer: "BIGINT",
  Boolean: "BOOLEAN",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The column type for one property's JSON schema; JSON for anything it cannot type (objects,
 * arrays, unions, unknown types). Example: `columnTypeFor({ type: ["null", "integer"] })` is `"BIGINT"`.
 */
export function columnTypeFor(schema: unknown): DuckdbColumnType {
  if (!isRecord(schema)) return "JSON";
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const name = /WellKnownTypes\.json#\/definitions\/(\w+)$/.exec(ref)?.[1];
    return (name !== undefined ? WELL_KNOWN_TYPES[name] : undefined) ?? "JSON";
  }
  const variants = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(variants) && schema.type === undefined) return unionType(variants);
  const declared = schema.type;
  if (Array.isArray(declared)) {
    const nonNull = declared.filter((t) => t !== "null");
    if (nonNull.length === 1) return scalarType(nonNull[0], schema);
    return unionType(nonNull.map((type) => ({ ...schema, type })));
  }
  return scalarType(declared, schema);
}

// A union is typed only when every non-null branch maps to the same column type.
function unionType(variants: readonly unknown[]): DuckdbColumnType {
  const types = new Set<DuckdbColumnType>();
  for (const variant of variants) {
    if (isRecord(variant) && variant.type === "null") continue;
    types.add(columnTypeFor(variant));
  }
  const [only] = types;
  return types.size === 1 && only !== undefined ? only : "JSON";
}

function scalarType(type: unknown, schema: Record<string, unknown>): DuckdbColumnType {
  const airbyteType = schema.airbyte_type;
  switch (type) {
    case "string":
      return stringType(schema.format, airbyteType);
    case "integer":
      return "BIGINT";
    case "number":
      return airbyteType === "integer" ? "BIGINT" : "DOUBLE";
    case "boolean":
      return "BOOLEAN";
    default:
      return "JSON";
  }
}

function stringType(format: unknown, airbyteType: unknown): DuckdbColumnType {
  if (format === "date" || airbyteType === "date") return "DATE";
  if (
    format === "date-time" ||
    airbyteType === "timestamp_with_timezone" ||
    airbyteType === "timestamp_without_timezone"
  ) {
    return airbyteType === "timestamp_without_timezone" ? "TIMESTAMP" : "TIMESTAMPTZ";
  }
  if (format === "time" || airbyteType === "time_with_timezone" || airbyteType === "time_without_timezone") {
    // Symmetric with date-time: a time without an explicit "without timezone" keeps its offset.
    return airbyteType === "time_without_timezone" ? "TIME" : "TIMETZ";
  }
  return "VARCHAR";
}
