/** A value that cannot go into its column: it becomes NULL, with this reason in `_airbyte_meta.changes`. */
export const NULLED_SERIALIZATION = 1;
export const NULLED_SIZE = 2;
export type Nulled = typeof NULLED_SERIALIZATION | typeof NULLED_SIZE;

export const CHANGE_REASONS: Readonly<Record<Nulled, string>> = {
  [NULLED_SERIALIZATION]: "DESTINATION_SERIALIZATION_ERROR",
  [NULLED_SIZE]: "DESTINATION_FIELD_SIZE_LIMITATION",
};

/** Text too long to escape and write in one piece: the writer escapes it slice by slice. */
export class LongText {
  constructor(readonly text: string) {}
}

/** From this many characters on, text is passed on as LongText. */
export const LONG_TEXT = 1 << 20;

/**
 * Turns a non-null record value into one field of COPY's text format, or says why it must be
 * NULL. A bytea value comes back as its bytes (a Buffer), long text as LongText: both are
 * written out in slices, so a 100 MB value is never copied whole into another string.
 */
export type ValueEncoder = (value: unknown) => string | Buffer | LongText | Nulled;

const SPECIAL = /[\\\n\r\t\0]/;

/**
 * Escapes text for COPY's text format: backslash, newline, carriage return and tab get a
 * backslash; NUL, which Postgres text cannot hold, is dropped. Example: `copyText("a\tb")` is `a\\tb`.
 */
export function copyText(text: string): string {
  if (!SPECIAL.test(text)) return text;
  // Native replaceAll passes, not one callback per match: a 100 MB value may hold millions.
  let out = text.includes("\\") ? text.replaceAll("\\", "\\\\") : text;
  if (out.includes("\n")) out = out.replaceAll("\n", "\\n");
  if (out.includes("\r")) out = out.replaceAll("\r", "\\r");
  if (out.includes("\t")) out = out.replaceAll("\t", "\\t");
  return out.includes("\0") ? out.replaceAll("\0", "") : out;
}

const asText = (value: unknown): string =>
  typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);

const encodeText: ValueEncoder = (value) => {
  const text = asText(value);
  return text.length >= LONG_TEXT ? new LongText(text) : copyText(text);
};

const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/;
const INTEGER_LIMITS: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
};

function integerEncoder(type: string): ValueEncoder {
  const [min, max] = INTEGER_LIMITS[type] ?? (INTEGER_LIMITS.int8 as readonly [bigint, bigint]);
  const safeMin = Number(min);
  const safeMax = Number(max);
  const check = (digits: string): string | Nulled => {
    const n = BigInt(digits);
    return n < min || n > max ? NULLED_SIZE : n.toString();
  };
  return (value) => {
    if (typeof value === "number") {
      if (Number.isSafeInteger(value))
        return value >= safeMin && value <= safeMax ? String(value) : NULLED_SIZE;
      if (Number.isInteger(value)) return check(BigInt(value).toString());
      return Number.isFinite(value) ? NULLED_SERIALIZATION : NULLED_SIZE;
    }
    if (typeof value === "string" && INTEGER_TEXT.test(value)) return check(value.trim());
    if (typeof value === "bigint") return check(value.toString());
    return NULLED_SERIALIZATION;
  };
}

const DECIMAL_TEXT = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
const SPECIAL_NUMBER = /^\s*(?:[-+]?(?:Infinity|inf)|NaN)\s*$/i;

/** numeric, float4, float8: exact decimal text passes as it is (never through a double). */
function decimalEncoder(allowSpecial: boolean): ValueEncoder {
  return (value) => {
    if (typeof value === "number") {
      if (Number.isFinite(value)) return String(value);
      return allowSpecial ? String(value) : NULLED_SIZE;
    }
    if (typeof value === "string") {
      if (DECIMAL_TEXT.test(value)) return value.trim();
      if (SPECIAL_NUMBER.test(value)) return allowSpecial ? value.trim() : NULLED_SERIALIZATION;
    }
    if (typeof value === "bigint") return value.toString();
    return NULLED_SERIALIZATION;
  };
}

const encodeBoolean: ValueEncoder = (value) =>
  typeof value === "boolean" ? (value ? "t" : "f") : NULLED_SERIALIZATION;

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

// Postgres' ranges: dates 4713 BC to 5874897 AD, timestamps 4713 BC to 294276 AD. A BC year y
// is the proleptic year 1 - y, which decides its leap years.
function dateProblem(y: string, m: string, d: string, bc: boolean, maxYear: number): Nulled | undefined {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysIn(bc ? 1 - year : year, month)) {
    return NULLED_SERIALIZATION;
  }
  if (bc ? year > 4713 : year > maxYear) return NULLED_SIZE;
  return undefined;
}

const DATE = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/;
const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2}){0,2})?( BC)?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2}){0,2})?$/;
const INFINITE = /^[-+]?infinity$/i;

const clockProblem = (h: string, m: string, s: string | undefined) =>
  Number(h) > 24 || Number(m) > 59 || Number(s ?? 0) > 60;

const encodeDate: ValueEncoder = (value) => {
  if (typeof value !== "string") return NULLED_SERIALIZATION;
  if (INFINITE.test(value)) return value;
  const match = DATE.exec(value);
  if (match === null) return NULLED_SERIALIZATION;
  return (
    dateProblem(
      match[1] as string,
      match[2] as string,
      match[3] as string,
      match[4] !== undefined,
      5874897,
    ) ?? value
  );
};

// The common shape, `2024-01-02T03:04:05[.ffffff](Z|±hh:mm)` with a 4-digit year, checked
// without a regex; anything else takes the general path.
function plainTimestamp(value: string): boolean {
  const length = value.length;
  if (length < 19 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const t = value.charCodeAt(10);
  if ((t !== 84 && t !== 32) || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return false;
  const digit = (i: number) => {
    const c = value.charCodeAt(i);
    return c >= 48 && c <= 57 ? c - 48 : -100;
  };
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const month = digit(5) * 10 + digit(6);
  const day = digit(8) * 10 + digit(9);
  const hour = digit(11) * 10 + digit(12);
  const minute = digit(14) * 10 + digit(15);
  const second = digit(17) * 10 + digit(18);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let i = 19;
  if (value.charCodeAt(i) === 46) {
    i++;
    while (i < length && digit(i) >= 0) i++;
  }
  if (i === length) return true;
  const zone = value.charCodeAt(i);
  if (zone === 90 && i + 1 === length) return true;
  return (
    (zone === 43 || zone === 45) &&
    i + 6 === length &&
    value.charCodeAt(i + 3) === 58 &&
    digit(i + 1) >= 0 &&
    digit(i + 2) >= 0 &&
    digit(i + 4) >= 0 &&
    digit(i + 5) >= 0
  );
}

const encodeTimestamp: ValueEncoder = (value) => {
  if (typeof value !== "string") return NULLED_SERIALIZATION;
  if (plainTimestamp(value)) return value;
  if (INFINITE.test(value)) return value;
  const match = TIMESTAMP.exec(value);
  if (match === null) return NULLED_SERIALIZATION;
  const [, y, mo, d, h, mi, s, bc] = match;
  if (clockProblem(h as string, mi as string, s)) return NULLED_SERIALIZATION;
  return dateProblem(y as string, mo as string, d as string, bc !== undefined, 294276) ?? value;
};

const encodeTime: ValueEncoder = (value) => {
  if (typeof value !== "string") return NULLED_SERIALIZATION;
  const match = TIME.exec(value);
  if (match === null || clockProblem(match[1] as string, match[2] as string, match[3]))
    return NULLED_SERIALIZATION;
  return value;
};

// What JSON text can start and end with; the rest of it Postgres checks (a refused value is
// nulled by the writer's retry), which costs less than parsing every value here.
const JSON_START = /^\s*[[{"\-0-9tfn]/;
const JSON_END = /[\]}"0-9el]\s*$/;
const OPENERS = new Set([...'[{"-0123456789tfn'].map((c) => c.charCodeAt(0)));
const CLOSERS = new Set([...']}"0123456789el'].map((c) => c.charCodeAt(0)));

function looksLikeJson(text: string): boolean {
  // Postgres prints JSON without surrounding blanks: two character tests decide; else the regexes.
  if (OPENERS.has(text.charCodeAt(0)) && CLOSERS.has(text.charCodeAt(text.length - 1))) return true;
  return JSON_START.test(text) && JSON_END.test(text);
}

/**
 * A string field declared as JSON text (contentMediaType application/json) goes in as that
 * JSON; any other value is serialised.
 */
function jsonEncoder(fieldIsJsonText: boolean): ValueEncoder {
  return (value) => {
    let text: string;
    if (fieldIsJsonText && typeof value === "string") {
      if (!looksLikeJson(value)) return NULLED_SERIALIZATION;
      text = value;
    } else text = JSON.stringify(value);
    // jsonb cannot hold U+0000 (escaped or not).
    if (text.includes("\\u0000")) return NULLED_SERIALIZATION;
    return text.length >= LONG_TEXT ? new LongText(text) : copyText(text);
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// bytea: the bytes; COPY gets them as \x and hex digits (see `byteaField`).
const encodeBytea: ValueEncoder = (value) => {
  if (typeof value !== "string" || value.length % 4 === 1 || !BASE64.test(value)) return NULLED_SERIALIZATION;
  return Buffer.from(value, "base64");
};

/** A bytea field in COPY's text format: `\\x` and hex digits, the backslash itself escaped. */
export function byteaField(bytes: Buffer, start = 0, end = bytes.length): string {
  return `\\\\x${bytes.toString("hex", start, end)}`;
}

/**
 * The encoder for a column whose base type is `typeName` (pg_type.typname: `int8`, `numeric`,
 * `timestamptz`…), fed by a field with JSON schema `fieldSchema`. Types this destination never
 * creates (a table made elsewhere) get their values as text, for Postgres to parse.
 * Example: `encoderFor("int8", {})(12)` is `"12"`; `encoderFor("bool", {})("yes")` is `NULLED_SERIALIZATION`.
 */
export function encoderFor(typeName: string, fieldSchema: Readonly<Record<string, unknown>>): ValueEncoder {
  switch (typeName) {
    case "int2":
    case "int4":
    case "int8":
      return integerEncoder(typeName);
    case "numeric":
      return decimalEncoder(true);
    case "float4":
    case "float8":
      return decimalEncoder(true);
    case "bool":
      return encodeBoolean;
    case "date":
      return encodeDate;
    case "timestamp":
    case "timestamptz":
      return encodeTimestamp;
    case "time":
    case "timetz":
      return encodeTime;
    case "json":
    case "jsonb":
      return jsonEncoder(fieldSchema.contentMediaType === "application/json");
    case "bytea":
      return encodeBytea;
    default:
      return encodeText;
  }
}
