import { parseArrayLiteral } from "./array-literal.js";

/** One row of pg_type, as the codecs need it. */
export interface PgTypeInfo {
  readonly oid: number;
  readonly name: string;
  readonly schema: string;
  /** typtype: b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  readonly kind: string;
  readonly category: string;
  readonly element: number;
  readonly base: number;
  readonly delimiter: string;
}

/**
 * How one column travels: the SQL selected in the binary COPY, how its field is decoded into a
 * JSON value, and its JSON schema. Values that JSON numbers would round (numeric, money, int8
 * beyond 2^53) travel as exact decimal strings.
 */
export interface ColumnCodec {
  /** The JSON schema of a non-null value. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** The expression selected for the quoted column `ref`. */
  select(ref: string): string;
  /** The JSON value of a binary COPY field. */
  decode(buf: Buffer, start: number, end: number): unknown;
  /** The JSON value of the type's text output (array elements). */
  fromText(text: string): unknown;
  /** The field as text Postgres reads back as the same value (cursor and key values in state). */
  keyText(buf: Buffer, start: number, end: number): string;
}

/** Node's own Buffer method, without the argument checks of `toString` (present since Node 0.x). */
type FastBuffer = Buffer & { utf8Slice(start: number, end: number): string };

const utf8 = (buf: Buffer, start: number, end: number) => (buf as FastBuffer).utf8Slice(start, end);

/** A column selected as `::text` and converted from that text. */
function textCodec(
  schema: Record<string, unknown>,
  fromText: (text: string) => unknown,
  cast = "pg_catalog.text",
): ColumnCodec {
  return {
    schema,
    select: (ref) => `${ref}::${cast}`,
    decode: (buf, start, end) => fromText(utf8(buf, start, end)),
    fromText,
    keyText: utf8,
  };
}

const identity = (text: string) => text;
const STRING = { type: "string" };
const BIG_NUMBER = { type: "string", airbyte_type: "big_number" };

// Postgres prints float specials as NaN, Infinity, -Infinity: JSON has no numbers for them, so
// they stay strings (the legacy Airbyte Number type allowed exactly these).
const floatFromText = (text: string): unknown => {
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
};

const TWO_POW_53 = 2 ** 53;
const integerFromText = (text: string): unknown => {
  const n = Number(text);
  return Math.abs(n) < TWO_POW_53 ? n : text;
};

/** `2024-01-02 03:04:05.5` → `2024-01-02T03:04:05.5` (also `… BC`, `10000-01-01 …`; infinity stays). */
function isoTimestamp(text: string): string {
  const space = text.indexOf(" ");
  return space < 0 ? text : `${text.slice(0, space)}T${text.slice(space + 1)}`;
}

// The session runs with TimeZone UTC, so every timestamptz prints with "+00".
function isoTimestamptz(text: string): string {
  const iso = isoTimestamp(text);
  if (iso.endsWith("+00")) return `${iso.slice(0, -3)}Z`;
  if (iso.endsWith("+00 BC")) return `${iso.slice(0, -6)}Z BC`;
  return iso;
}

// `12:00:00+05` → `12:00:00+05:00`: RFC 3339 offsets have minutes.
function isoTimetz(text: string): string {
  return /[+-]\d\d$/.test(text) ? `${text}:00` : text;
}

function hexToBase64(text: string): string {
  // bytea's text output is \x followed by hex digits (bytea_output is hex in this session).
  return Buffer.from(text.slice(2), "hex").toString("base64");
}

function uuidText(buf: Buffer, start: number): string {
  const h = buf.toString("hex", start, start + 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function readInt8(buf: Buffer, start: number): unknown {
  const high = buf.readInt32BE(start);
  // |value| < 2^53 exactly when the high word is within ±2^21: then it is a safe JS number.
  if (high >= -0x200000 && high < 0x200000) return high * 4294967296 + buf.readUInt32BE(start + 4);
  return buf.readBigInt64BE(start).toString();
}

const CODECS_BY_NAME: Readonly<Record<string, () => ColumnCodec>> = {
  int2: () => ({
    schema: { type: "integer" },
    select: (ref) => `${ref}::pg_catalog.int2`,
    decode: (buf, start) => buf.readInt16BE(start),
    fromText: Number,
    keyText: (buf, start) => String(buf.readInt16BE(start)),
  }),
  int4: () => ({
    schema: { type: "integer" },
    select: (ref) => `${ref}::pg_catalog.int4`,
    decode: (buf, start) => buf.readInt32BE(start),
    fromText: Number,
    keyText: (buf, start) => String(buf.readInt32BE(start)),
  }),
  int8: () => ({
    schema: { type: "integer" },
    select: (ref) => `${ref}::pg_catalog.int8`,
    decode: readInt8,
    fromText: integerFromText,
    keyText: (buf, start) => buf.readBigInt64BE(start).toString(),
  }),
  oid: () => textCodec({ type: "integer" }, Number),
  float8: () => ({
    schema: { type: "number" },
    select: (ref) => `${ref}::pg_catalog.float8`,
    decode: (buf, start) => {
      const n = buf.readDoubleBE(start);
      return Number.isFinite(n) ? n : String(n);
    },
    fromText: floatFromText,
    keyText: (buf, start) => String(buf.readDoubleBE(start)),
  }),
  // float4 as text: its shortest text (0.1) is the value meant, its binary widened is not.
  float4: () => textCodec({ type: "number" }, floatFromText),
  numeric: () => textCodec(BIG_NUMBER, identity),
  money: () => textCodec(BIG_NUMBER, identity, "pg_catalog.numeric::pg_catalog.text"),
  bool: () => ({
    schema: { type: "boolean" },
    select: (ref) => `${ref}::pg_catalog.bool`,
    decode: (buf, start) => buf[start] === 1,
    fromText: (text) => text === "t",
    keyText: (buf, start) => (buf[start] === 1 ? "true" : "false"),
  }),
  bytea: () => ({
    schema: { type: "string", contentEncoding: "base64" },
    select: (ref) => `${ref}::pg_catalog.bytea`,
    decode: (buf, start, end) => buf.toString("base64", start, end),
    fromText: hexToBase64,
    keyText: (buf, start, end) => `\\x${buf.toString("hex", start, end)}`,
  }),
  uuid: () => ({
    schema: STRING,
    select: (ref) => `${ref}::pg_catalog.uuid`,
    decode: uuidText,
    fromText: identity,
    keyText: uuidText,
  }),
  text: () => rawTextCodec("text"),
  varchar: () => rawTextCodec("varchar"),
  bpchar: () => rawTextCodec("bpchar"),
  name: () => rawTextCodec("name"),
  char: () => textCodec(STRING, identity),
  json: () => ({ ...rawTextCodec("json"), schema: { type: "string", contentMediaType: "application/json" } }),
  jsonb: () => ({
    schema: { type: "string", contentMediaType: "application/json" },
    select: (ref) => `${ref}::pg_catalog.jsonb`,
    // jsonb's binary form is a version byte (1) and the canonical text.
    decode: (buf, start, end) => buf.toString("utf8", start + 1, end),
    fromText: identity,
    keyText: (buf, start, end) => buf.toString("utf8", start + 1, end),
  }),
  date: () => textCodec({ type: "string", format: "date" }, identity),
  timestamp: () =>
    textCodec(
      { type: "string", format: "date-time", airbyte_type: "timestamp_without_timezone" },
      isoTimestamp,
    ),
  timestamptz: () =>
    textCodec(
      { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
      isoTimestamptz,
    ),
  time: () => textCodec({ type: "string", format: "time", airbyte_type: "time_without_timezone" }, identity),
  timetz: () => textCodec({ type: "string", format: "time", airbyte_type: "time_with_timezone" }, isoTimetz),
};

// Text types travel as their bytes: the binary form of text is its UTF-8 text.
function rawTextCodec(name: string): ColumnCodec {
  return {
    schema: STRING,
    select: (ref) => `${ref}::pg_catalog.${name}`,
    decode: utf8,
    fromText: identity,
    keyText: utf8,
  };
}

/** The pg_type rows codecs are resolved from, by oid. */
export type TypeCatalog = ReadonlyMap<number, PgTypeInfo>;

/** The type behind domains: `CREATE DOMAIN price AS numeric` is numeric. */
function baseType(oid: number, types: TypeCatalog): PgTypeInfo | undefined {
  let type = types.get(oid);
  for (let depth = 0; type !== undefined && type.kind === "d" && depth < 32; depth++)
    type = types.get(type.base);
  return type;
}

/**
 * The codec of a column of type `oid`: domains use their base type, arrays their element's,
 * enums and every type without a codec of its own (interval, inet, point, ranges, extension
 * types…) travel as their text. Example: `codecFor(23, types).schema` is `{ type: "integer" }`.
 */
export function codecFor(oid: number, types: TypeCatalog): ColumnCodec {
  const type = baseType(oid, types);
  if (type === undefined) return textCodec(STRING, identity);
  if (type.category === "A" && type.element !== 0) {
    const element = codecFor(type.element, types);
    const delimiter = baseType(type.element, types)?.delimiter ?? ",";
    const convert = (text: string) => parseArrayLiteral(text, delimiter, (item) => element.fromText(item));
    const schema = { type: "array", items: { ...element.schema, type: ["null", element.schema.type] } };
    return textCodec(schema, convert);
  }
  const make = type.schema === "pg_catalog" ? CODECS_BY_NAME[type.name] : undefined;
  return make !== undefined ? make() : textCodec(STRING, identity);
}
