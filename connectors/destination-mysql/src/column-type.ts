import {
  base64Encoder,
  booleanEncoder,
  dateEncoder,
  dateTimeEncoder,
  decimalEncoder,
  doubleEncoder,
  INTEGER_RANGES,
  integerEncoder,
  jsonTextEncoder,
  jsonValueEncoder,
  textEncoder,
  timeEncoder,
  type ValueEncoder,
} from "./value-encoders.js";

/** A column's MySQL type and how values reach it. */
export interface MysqlColumnType {
  /** The type in CREATE TABLE, e.g. `DECIMAL(65,30)`, `DATETIME(6)`. */
  readonly sql: string;
  readonly encoder: ValueEncoder;
  /** Loaded as base64 text and decoded with FROM_BASE64 (binary columns). */
  readonly base64: boolean;
  /** For an index on it: full column (bytes), or a prefix of so many characters. */
  readonly index: { readonly bytes: number } | { readonly prefixChars: number };
}

// VARCHAR keeps short strings indexable; utf8mb4 takes up to 4 bytes a character.
const MAX_VARCHAR = 255;
const TEXT_PREFIX = 191;

const t = (sql: string, encoder: ValueEncoder, bytes: number): MysqlColumnType => ({
  sql,
  encoder,
  base64: false,
  index: { bytes },
});

const LONGTEXT = {
  sql: "LONGTEXT",
  encoder: textEncoder(),
  base64: false,
  index: { prefixChars: TEXT_PREFIX },
};
const JSON_VALUE = {
  sql: "JSON",
  encoder: jsonValueEncoder,
  base64: false,
  index: { prefixChars: TEXT_PREFIX },
};
const JSON_TEXT = { ...JSON_VALUE, encoder: jsonTextEncoder };
const LONGBLOB = { sql: "LONGBLOB", encoder: base64Encoder, base64: true, index: { prefixChars: 255 } };
const BIGINT = t("BIGINT", integerEncoder(INTEGER_RANGES.bigint), 8);
const BIGINT_UNSIGNED = t("BIGINT UNSIGNED", integerEncoder(INTEGER_RANGES["bigint unsigned"]), 8);
const DOUBLE = t("DOUBLE", doubleEncoder, 8);
const BOOLEAN = t("BOOLEAN", booleanEncoder, 1);
const DATE = t("DATE", dateEncoder, 3);
const DATETIME_UTC = t("DATETIME(6)", dateTimeEncoder(true), 8);
const DATETIME_LOCAL = t("DATETIME(6)", dateTimeEncoder(false), 8);
const TIME_UTC = t("TIME(6)", timeEncoder(true), 6);
const TIME_LOCAL = t("TIME(6)", timeEncoder(false), 6);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const WELL_KNOWN: Record<string, MysqlColumnType> = {
  String: LONGTEXT,
  BinaryData: LONGBLOB,
  Date: DATE,
  TimestampWithTimezone: DATETIME_UTC,
  TimestampWithoutTimezone: DATETIME_LOCAL,
  TimeWithTimezone: TIME_UTC,
  TimeWithoutTimezone: TIME_LOCAL,
  Number: DOUBLE,
  Integer: BIGINT,
  Boolean: BOOLEAN,
};

/**
 * The MySQL column for a field's JSON schema. Unknown types, objects, arrays and unions of
 * different types become JSON. Example: `columnTypeFor({ type: ["null", "number"], precision: 10, scale: 2 }).sql`
 * is `DECIMAL(10,2)`.
 */
export function columnTypeFor(schema: unknown): MysqlColumnType {
  if (!isRecord(schema)) return JSON_VALUE;
  if (typeof schema.$ref === "string") {
    const name = /WellKnownTypes\.json#\/definitions\/(\w+)$/.exec(schema.$ref)?.[1];
    return (name === undefined ? undefined : WELL_KNOWN[name]) ?? JSON_VALUE;
  }
  const variants = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(variants) && schema.type === undefined) return unionType(variants);
  const declared = schema.type;
  if (Array.isArray(declared)) {
    const nonNull = declared.filter((type) => type !== "null");
    if (nonNull.length === 1) return scalarType(nonNull[0], schema);
    return unionType(nonNull.map((type) => ({ ...schema, type })));
  }
  return scalarType(declared, schema);
}

function unionType(variants: readonly unknown[]): MysqlColumnType {
  const types = new Map<string, MysqlColumnType>();
  for (const variant of variants) {
    if (isRecord(variant) && variant.type === "null") continue;
    const type = columnTypeFor(variant);
    types.set(type.sql, type);
  }
  const [only] = types.values();
  return types.size === 1 && only !== undefined ? only : JSON_VALUE;
}

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0;

function scalarType(type: unknown, schema: Record<string, unknown>): MysqlColumnType {
  switch (type) {
    case "string":
      return stringType(schema);
    case "integer":
      return integerType(schema);
    case "number":
      return schema.airbyte_type === "integer" ? integerType(schema) : numberType(schema);
    case "boolean":
      return BOOLEAN;
    default:
      return JSON_VALUE;
  }
}

const WIDE_INTEGER = t("DECIMAL(65,0)", decimalEncoder(65, 0), 29);

// BIGINT, unless the schema's bounds go past int64: BIGINT UNSIGNED (source-mysql's BIGINT
// UNSIGNED says minimum 0, maximum 2^64 - 1), or DECIMAL(65,0). `wide`: Airbyte's big_integer,
// integers sent as text because they may not fit 64 bits.
function integerType(schema: Record<string, unknown>, wide = false): MysqlColumnType {
  const maximum = typeof schema.maximum === "number" ? schema.maximum : undefined;
  if (maximum === undefined) return wide ? WIDE_INTEGER : BIGINT;
  if (maximum <= 2 ** 63) return BIGINT;
  const minimum = typeof schema.minimum === "number" ? schema.minimum : undefined;
  if (minimum !== undefined && minimum >= 0 && maximum <= 2 ** 64) return BIGINT_UNSIGNED;
  return WIDE_INTEGER;
}

/** DECIMAL(p,s) when the schema carries `precision` and `scale` (source-mysql's DECIMAL columns do). */
function annotatedDecimal(schema: Record<string, unknown>): MysqlColumnType | undefined {
  const precision = schema.precision;
  const scale = schema.scale ?? 0;
  if (
    isCount(precision) &&
    isCount(scale) &&
    precision >= 1 &&
    precision <= 65 &&
    scale <= 30 &&
    scale <= precision
  ) {
    return t(
      `DECIMAL(${precision},${scale})`,
      decimalEncoder(precision, scale),
      Math.ceil(precision / 2) + 1,
    );
  }
  return undefined;
}

// A plain JSON number is a double already: DOUBLE loses nothing, unless the schema says more.
function numberType(schema: Record<string, unknown>): MysqlColumnType {
  return annotatedDecimal(schema) ?? DOUBLE;
}

// Airbyte's big_number (exact decimal text, e.g. Postgres numeric): MySQL's widest DECIMAL when
// the schema gives no precision; a value beyond 35 integer or 30 fraction digits is nulled, with a change.
const WIDE_DECIMAL = t("DECIMAL(65,30)", decimalEncoder(65, 30), 30);

function stringType(schema: Record<string, unknown>): MysqlColumnType {
  const format = schema.format;
  const airbyteType = schema.airbyte_type;
  if (airbyteType === "big_number") return annotatedDecimal(schema) ?? WIDE_DECIMAL;
  if (airbyteType === "big_integer") return integerType(schema, true);
  if (format === "date" || airbyteType === "date") return DATE;
  if (
    format === "date-time" ||
    airbyteType === "timestamp_with_timezone" ||
    airbyteType === "timestamp_without_timezone"
  ) {
    return airbyteType === "timestamp_without_timezone" ? DATETIME_LOCAL : DATETIME_UTC;
  }
  if (format === "time" || airbyteType === "time_with_timezone" || airbyteType === "time_without_timezone") {
    return airbyteType === "time_without_timezone" ? TIME_LOCAL : TIME_UTC;
  }
  if (schema.contentEncoding === "base64") return LONGBLOB;
  if (schema.contentMediaType === "application/json") return JSON_TEXT;
  const maxLength = schema.maxLength;
  if (isCount(maxLength) && maxLength >= 1 && maxLength <= MAX_VARCHAR) {
    return t(`VARCHAR(${maxLength})`, textEncoder(maxLength), maxLength * 4);
  }
  return LONGTEXT;
}

/** The columns a table must have for a stream without declared properties: the whole record as JSON. */
export const SCHEMALESS_COLUMN = JSON_VALUE;

/**
 * How values reach a column that already exists (made by an earlier sync, perhaps from another
 * schema, or by hand), from information_schema's DATA_TYPE and COLUMN_TYPE. When it is the type
 * this sync would create, the planned type (with its time zone handling) is kept.
 * Example: `existingColumnType("varchar", "varchar(20)", false, columnTypeFor({ type: "string" }))`.
 */
export function existingColumnType(
  dataType: string,
  columnType: string,
  isJson: boolean,
  planned: MysqlColumnType,
): MysqlColumnType {
  if (columnType === planned.sql.toLowerCase() || (isJson && planned.sql === "JSON")) return planned;
  const unsigned = columnType.includes("unsigned");
  const size = /\((\d+)(?:,(\d+))?\)/.exec(columnType);
  switch (dataType) {
    case "tinyint":
      if (columnType.startsWith("tinyint(1)") && !unsigned) return BOOLEAN;
      return t(columnType, integerEncoder(INTEGER_RANGES[unsigned ? "tinyint unsigned" : "tinyint"]), 1);
    case "smallint":
    case "mediumint":
    case "int":
    case "bigint": {
      const range =
        INTEGER_RANGES[(unsigned ? `${dataType} unsigned` : dataType) as keyof typeof INTEGER_RANGES];
      return t(columnType, integerEncoder(range), 8);
    }
    case "decimal": {
      const precision = Number(size?.[1] ?? 10);
      const scale = Number(size?.[2] ?? 0);
      return t(columnType, decimalEncoder(precision, scale), Math.ceil(precision / 2) + 1);
    }
    case "float":
    case "double":
      return DOUBLE;
    case "date":
      return DATE;
    case "datetime":
    case "timestamp":
      return planned.sql === "DATETIME(6)"
        ? { ...planned, sql: columnType }
        : { ...DATETIME_UTC, sql: columnType };
    case "time":
      return planned.sql === "TIME(6)" ? { ...planned, sql: columnType } : { ...TIME_UTC, sql: columnType };
    case "json":
      return JSON_TEXT;
    case "binary":
    case "varbinary":
    case "tinyblob":
    case "blob":
    case "mediumblob":
    case "longblob":
      return { ...LONGBLOB, sql: columnType };
    case "char":
    case "varchar": {
      const chars = Number(size?.[1] ?? MAX_VARCHAR);
      return t(columnType, textEncoder(chars), chars * 4);
    }
    default:
      return isJson ? JSON_TEXT : { ...LONGTEXT, sql: columnType };
  }
}
