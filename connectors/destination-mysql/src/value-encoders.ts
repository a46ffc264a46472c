import { decimalParts, decimalText } from "./exact-numbers.js";

/** Why a value was nulled, recorded in `_airbyte_meta.changes`. */
export const NULLED_SERIALIZATION = 1;
export const NULLED_SIZE = 2;
export type Nulled = typeof NULLED_SERIALIZATION | typeof NULLED_SIZE;

export const CHANGE_REASONS: Record<Nulled, string> = {
  [NULLED_SERIALIZATION]: "DESTINATION_SERIALIZATION_ERROR",
  [NULLED_SIZE]: "DESTINATION_FIELD_SIZE_LIMITATION",
};

/**
 * Turns a non-null record value into the exact text MySQL stores for the column, or says why it
 * becomes NULL. Every check MySQL would make is made here first: LOAD DATA LOCAL turns MySQL's
 * errors into warnings and changes or skips the row, so nothing may reach it that it would refuse.
 */
export type ValueEncoder = (value: unknown) => string | Nulled;

/** The range of MySQL's integer types, e.g. `INTEGER_RANGES.bigint`. */
export const INTEGER_RANGES = {
  tinyint: [-128n, 127n],
  "tinyint unsigned": [0n, 255n],
  smallint: [-32768n, 32767n],
  "smallint unsigned": [0n, 65535n],
  mediumint: [-8388608n, 8388607n],
  "mediumint unsigned": [0n, 16777215n],
  int: [-2147483648n, 2147483647n],
  "int unsigned": [0n, 4294967295n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
  "bigint unsigned": [0n, 2n ** 64n - 1n],
} as const satisfies Record<string, readonly [bigint, bigint]>;

/** Integers within [min, max], from numbers or integer text. Example: `integerEncoder([0n, 255n])("42") // "42"`. */
export function integerEncoder([min, max]: readonly [bigint, bigint]): ValueEncoder {
  const safeMin = min < BigInt(Number.MIN_SAFE_INTEGER) ? Number.MIN_SAFE_INTEGER : Number(min);
  const safeMax = max > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(max);
  return (value) => {
    let text: string;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return NULLED_SIZE;
      if (!Number.isInteger(value)) return NULLED_SERIALIZATION;
      if (value >= safeMin && value <= safeMax) return String(value);
      text = BigInt(value).toString();
    } else if (typeof value === "string") {
      const parts = decimalParts(value);
      if (parts === undefined || parts.fraction !== "") return NULLED_SERIALIZATION;
      text = decimalText(parts);
    } else return NULLED_SERIALIZATION;
    const big = BigInt(text);
    return big >= min && big <= max ? text : NULLED_SIZE;
  };
}

/**
 * Exact values of a DECIMAL(precision, scale) column, from numbers or decimal text. A value with
 * more integer digits, or more non-zero fraction digits, than the column holds is nulled rather
 * than rounded. Example: `decimalEncoder(10, 2)(12.5) // "12.5"`.
 */
export function decimalEncoder(precision: number, scale: number): ValueEncoder {
  const integerDigits = precision - scale;
  return (value) => {
    let text: string;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return NULLED_SIZE;
      text = String(value);
    } else if (typeof value === "string") text = value;
    else return NULLED_SERIALIZATION;
    const plain = plainDecimalShape(text);
    if (plain !== undefined) {
      if (plain.integer > integerDigits || plain.fraction > scale) return NULLED_SIZE;
      return text;
    }
    const parts = decimalParts(text);
    if (parts === undefined) return NULLED_SERIALIZATION;
    if (parts.integer.length > integerDigits || parts.fraction.length > scale) return NULLED_SIZE;
    return decimalText(parts);
  };
}

// The digit counts of text already in MySQL's plain form (`-12.5`, `0.25`, `7`: no exponent, no
// leading zeros, no trailing fraction zeros), which is what numbers print as; else undefined.
function plainDecimalShape(text: string): { integer: number; fraction: number } | undefined {
  const start = text.charCodeAt(0) === 0x2d ? 1 : 0;
  let point = -1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e && point < 0) point = i;
    else if (c < 0x30 || c > 0x39) return undefined;
  }
  const end = text.length;
  const integerEnd = point < 0 ? end : point;
  if (integerEnd === start || (point >= 0 && point === end - 1)) return undefined;
  const leadingZero = text.charCodeAt(start) === 0x30;
  if (leadingZero && integerEnd - start > 1) return undefined;
  if (point >= 0 && text.charCodeAt(end - 1) === 0x30) return undefined;
  return { integer: leadingZero ? 0 : integerEnd - start, fraction: point < 0 ? 0 : end - point - 1 };
}

/** DOUBLE columns: JavaScript numbers as their shortest exact text, numeric text parsed. */
export const doubleEncoder: ValueEncoder = (value) => {
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : NaN;
  if (Number.isNaN(number)) return NULLED_SERIALIZATION;
  return Number.isFinite(number) ? String(number) : NULLED_SIZE;
};

/** The protocol's booleans are JSON booleans: not "true", not 1. */
export const booleanEncoder: ValueEncoder = (value) =>
  value === true ? "1" : value === false ? "0" : NULLED_SERIALIZATION;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const validDate = (year: number, month: number, day: number) =>
  year >= 1 &&
  year <= 9999 &&
  month >= 1 &&
  month <= 12 &&
  day >= 1 &&
  day <= (month === 2 && !isLeap(year) ? 28 : (DAYS_IN_MONTH[month - 1] as number));

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** DATE columns: `2024-02-29`; BC dates, impossible dates and epoch numbers are nulled. */
export const dateEncoder: ValueEncoder = (value) => {
  if (typeof value !== "string") return NULLED_SERIALIZATION;
  const match = DATE.exec(value);
  if (match === null) return NULLED_SERIALIZATION;
  return validDate(Number(match[1]), Number(match[2]), Number(match[3])) ? value : NULLED_SERIALIZATION;
};

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Minutes east of UTC of `Z`, `+05:30`, `-0800`, `+02`. */
function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset === "Z" || offset === "z") return 0;
  const digits = offset.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
  return offset.startsWith("-") ? -minutes : minutes;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const fractionOf = (digits: string | undefined) =>
  digits === undefined || digits === "" ? "" : `.${digits.slice(0, 6)}`;

const isDigitAt = (text: string, at: number) => {
  const c = text.charCodeAt(at);
  return c >= 0x30 && c <= 0x39;
};
const twoDigits = (text: string, at: number) =>
  (text.charCodeAt(at) - 0x30) * 10 + text.charCodeAt(at + 1) - 0x30;

// `YYYY-MM-DDTHH:MM:SS[.fraction][Z]`, what sources send most of the time, checked without a
// regular expression; anything else (offsets, a missing seconds part) goes the slow way.
function commonDateTime(value: string): string | Nulled | undefined {
  let end = value.length;
  if (value.charCodeAt(end - 1) === 0x5a) end--;
  if (end < 19 || end > 29 || (end > 19 && (value.charCodeAt(19) !== 0x2e || end === 20))) return undefined;
  const sep = value.charCodeAt(10);
  if (value.charCodeAt(4) !== 0x2d || value.charCodeAt(7) !== 0x2d || (sep !== 0x54 && sep !== 0x20))
    return undefined;
  if (value.charCodeAt(13) !== 0x3a || value.charCodeAt(16) !== 0x3a) return undefined;
  for (const at of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
    if (!isDigitAt(value, at)) return undefined;
  for (let at = 20; at < end; at++) if (!isDigitAt(value, at)) return undefined;
  const year = twoDigits(value, 0) * 100 + twoDigits(value, 2);
  if (!validDate(year, twoDigits(value, 5), twoDigits(value, 8))) return NULLED_SERIALIZATION;
  if (twoDigits(value, 11) > 23 || twoDigits(value, 14) > 59 || twoDigits(value, 17) > 59)
    return NULLED_SERIALIZATION;
  const fraction = end > 20 ? `.${value.slice(20, Math.min(end, 26))}` : "";
  return `${value.slice(0, 10)} ${value.slice(11, 19)}${fraction}`;
}

/**
 * DATETIME(6) columns. `utc`: the value is an instant (timestamp with time zone) stored in UTC,
 * offsets applied; otherwise the wall-clock time is kept and an offset ignored.
 * Example: `dateTimeEncoder(true)("2024-01-01T01:00:00+02:00") // "2023-12-31 23:00:00"`.
 */
export function dateTimeEncoder(utc: boolean): ValueEncoder {
  return (value) => {
    if (typeof value !== "string") return NULLED_SERIALIZATION;
    const common = commonDateTime(value);
    if (common !== undefined) return common;
    const m = DATE_TIME.exec(value);
    if (m === null) return NULLED_SERIALIZATION;
    let year = Number(m[1]);
    let month = Number(m[2]);
    let day = Number(m[3]);
    let hour = Number(m[4] ?? 0);
    let minute = Number(m[5] ?? 0);
    const second = Number(m[6] ?? 0);
    if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return NULLED_SERIALIZATION;
    const shift = utc ? offsetMinutes(m[8]) : 0;
    if (shift !== 0) {
      const at = new Date(0);
      at.setUTCFullYear(year, month - 1, day);
      at.setUTCHours(hour, minute - shift, second, 0);
      year = at.getUTCFullYear();
      month = at.getUTCMonth() + 1;
      day = at.getUTCDate();
      hour = at.getUTCHours();
      minute = at.getUTCMinutes();
      if (year < 1 || year > 9999) return NULLED_SIZE;
    }
    return `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}${fractionOf(m[7])}`;
  };
}

/** TIME(6) columns, a time of day; `utc` as for dateTimeEncoder (the day wraps around). */
export function timeEncoder(utc: boolean): ValueEncoder {
  return (value) => {
    if (typeof value !== "string") return NULLED_SERIALIZATION;
    const m = TIME.exec(value);
    if (m === null) return NULLED_SERIALIZATION;
    const hour = Number(m[1]);
    const minute = Number(m[2]);
    const second = Number(m[3] ?? 0);
    if (hour > 23 || minute > 59 || second > 59) return NULLED_SERIALIZATION;
    const shift = utc ? offsetMinutes(m[5]) : 0;
    const minutes = (((hour * 60 + minute - shift) % 1440) + 1440) % 1440;
    return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:${pad(second)}${fractionOf(m[4])}`;
  };
}

const asText = (value: unknown): string =>
  typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);

/** Text columns: any value becomes text (objects as JSON); `maxChars` for VARCHAR(n). */
export function textEncoder(maxChars?: number): ValueEncoder {
  if (maxChars === undefined) return asText;
  return (value) => {
    const text = asText(value);
    // UTF-16 length is at least the character count: only long strings need counting.
    if (text.length > maxChars && [...text].length > maxChars) return NULLED_SIZE;
    return text;
  };
}

/** JSON columns fed JSON text (a string that must parse); other values are serialised. */
export const jsonTextEncoder: ValueEncoder = (value) => {
  if (typeof value !== "string") return JSON.stringify(value);
  try {
    JSON.parse(value);
    return value;
  } catch {
    return NULLED_SERIALIZATION;
  }
};

/** JSON columns of objects, arrays and untyped values: the value as JSON. */
export const jsonValueEncoder: ValueEncoder = (value) => JSON.stringify(value);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** LONGBLOB columns: base64 text, decoded by FROM_BASE64 on load. */
export const base64Encoder: ValueEncoder = (value) =>
  typeof value === "string" && BASE64.test(value) ? value : NULLED_SERIALIZATION;
