import type { CatalogColumn } from "./catalog-types.js";

// Masked columns in COPY's binary format: their values decoded to what the text format would
// give the mappers (the same text for dates and timestamps, as Postgres prints them in UTC,
// so a mapper sees the same value whichever format a table goes in), and the mappers' output
// encoded back. Only these base types are handled; a table masking another type goes as text.

const TEXT_TYPES = new Set(["text", "varchar", "bpchar", "name"]);
const HANDLED = new Set([
  ...TEXT_TYPES,
  "json",
  "jsonb",
  "int2",
  "int4",
  "int8",
  "float4",
  "float8",
  "bool",
  "date",
  "timestamp",
  "timestamptz",
  "uuid",
]);

/** Whether a masked column's binary form is decoded and encoded here (enums are sent as their label). */
export function binaryMaskable(column: Pick<CatalogColumn, "baseType" | "category">): boolean {
  return HANDLED.has(column.baseType) || column.category === "E";
}

const INT32_MAX = 0x7fffffff;
const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const TWO_32 = 4_294_967_296;
const DAY_MICROS = 86_400_000_000;
// Microseconds a double holds exactly: ±285 years around 2000. Beyond, BigInt does the sums.
const EXACT_MICROS = 2 ** 53;
/** Days from 1970-01-01 to 2000-01-01. */
const EPOCH_2000_DAYS = 10_957;

/** `YYYY-MM-DD` of days since 2000-01-01 (Howard Hinnant's civil_from_days), `… BC` before year 1. */
function dateText(days2000: number): string {
  const z = days2000 + EPOCH_2000_DAYS + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const text = `${pad(year < 1 ? 1 - year : year, 4)}-${pad(month)}-${pad(day)}`;
  return year < 1 ? `${text} BC` : text;
}

/** Days since 2000-01-01 of a proleptic Gregorian date (days_from_civil). */
function civilDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468 - EPOCH_2000_DAYS;
}

function timestampText(buf: Buffer, at: number, zone: boolean): string {
  const high = buf.readInt32BE(at);
  const low = buf.readUInt32BE(at + 4);
  let days: number;
  let micros: number;
  if (Math.abs(high) < EXACT_MICROS / TWO_32) {
    const all = high * TWO_32 + low;
    days = Math.floor(all / DAY_MICROS);
    micros = all - days * DAY_MICROS;
  } else {
    const all = buf.readBigInt64BE(at);
    if (all === INT64_MAX) return "infinity";
    if (all === INT64_MIN) return "-infinity";
    const day = 86_400_000_000n;
    const whole = all >= 0n ? all / day : -((-all + day - 1n) / day);
    days = Number(whole);
    micros = Number(all - whole * day);
  }
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const date = dateText(days);
  const bc = date.endsWith(" BC");
  let text = `${bc ? date.slice(0, -3) : date} ${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  if (fraction !== 0) text += `.${pad(fraction, 6).replace(/0+$/, "")}`;
  if (zone) text += "+00";
  return bc ? `${text} BC` : text;
}

/** A masked column's value from its binary form (the bytes of one field). */
export function decodeBinaryValue(
  column: Pick<CatalogColumn, "baseType" | "category">,
  buf: Buffer,
  start: number,
  end: number,
): unknown {
  switch (column.baseType) {
    case "bool":
      return buf[start] === 1;
    case "int2":
      return buf.readInt16BE(start);
    case "int4":
      return buf.readInt32BE(start);
    case "int8": {
      const n = buf.readBigInt64BE(start);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(n)
        : n.toString();
    }
    case "float4":
    case "float8": {
      const n = column.baseType === "float4" ? buf.readFloatBE(start) : buf.readDoubleBE(start);
      return Number.isFinite(n) ? n : Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
    }
    case "date": {
      const days = buf.readInt32BE(start);
      if (days === INT32_MAX) return "infinity";
      if (days === -INT32_MAX - 1) return "-infinity";
      return dateText(days);
    }
    case "timestamp":
    case "timestamptz":
      return timestampText(buf, start, column.baseType === "timestamptz");
    case "uuid": {
      const hex = buf.toString("hex", start, end);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    case "json":
    case "jsonb": {
      const text = buf.toString("utf8", column.baseType === "jsonb" ? start + 1 : start, end);
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    default:
      return buf.toString("utf8", start, end);
  }
}

const DATE = /^(\d{4,})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})[ Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function daysOf(year: string, month: string, day: string): number | undefined {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return civilDays(y, m, d);
}

const digit = (text: string, at: number): number => {
  const d = text.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const two = (text: string, at: number): number => digit(text, at) * 10 + digit(text, at + 1);

/**
 * Microseconds since 2000 of the common forms, read by position: `YYYY-MM-DD HH:MM:SS`, an
 * optional fraction, and `+00`, `Z` or nothing after; undefined for anything else (the
 * regular expression then reads it).
 */
function quickMicros(text: string, zone: boolean): number | undefined {
  const length = text.length;
  if (length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(13) !== 58) return undefined;
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hours = two(text, 11);
  const minutes = two(text, 14);
  const seconds = two(text, 17);
  // NaN (a non-digit) fails every comparison.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return undefined;
  if (!(hours <= 23 && minutes <= 59 && seconds <= 59)) return undefined;
  let at = 19;
  let fraction = 0;
  if (text.charCodeAt(at) === 46) {
    let scale = 100_000;
    for (at++; at < length && scale >= 1; at++, scale /= 10) {
      const d = digit(text, at);
      if (Number.isNaN(d)) break;
      fraction += d * scale;
    }
  }
  const rest = text.slice(at);
  if (!(rest === "" || (zone && (rest === "+00" || rest === "Z" || rest === "+00:00")))) return undefined;
  return (
    civilDays(year, month, day) * DAY_MICROS + (hours * 3600 + minutes * 60 + seconds) * 1_000_000 + fraction
  );
}

/** Writes microseconds since 2000 as a big-endian 64-bit integer. */
function microsField(micros: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  if (Math.abs(micros) < EXACT_MICROS) {
    const high = Math.floor(micros / TWO_32);
    out.writeInt32BE(high, 0);
    out.writeUInt32BE(micros - high * TWO_32, 4);
  } else out.writeBigInt64BE(BigInt(micros));
  return out;
}

/** The bytes of a field for a mapper's output, or undefined when the value does not fit the type. */
export function encodeBinaryValue(
  column: Pick<CatalogColumn, "baseType" | "category">,
  value: unknown,
): Buffer | undefined {
  const text =
    typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  switch (column.baseType) {
    case "bool": {
      const truth =
        value === true || text === "t" || text === "true"
          ? 1
          : value === false || text === "f" || text === "false"
            ? 0
            : -1;
      return truth < 0 ? undefined : Buffer.from([truth]);
    }
    case "int2":
    case "int4":
    case "int8": {
      if (!/^-?\d+$/.test(text)) return undefined;
      const n = BigInt(text);
      const bytes = column.baseType === "int2" ? 2 : column.baseType === "int4" ? 4 : 8;
      const limit = 1n << BigInt(bytes * 8 - 1);
      if (n < -limit || n >= limit) return undefined;
      const out = Buffer.alloc(bytes);
      if (bytes === 2) out.writeInt16BE(Number(n));
      else if (bytes === 4) out.writeInt32BE(Number(n));
      else out.writeBigInt64BE(n);
      return out;
    }
    case "float4":
    case "float8": {
      const n = Number(text);
      if (Number.isNaN(n) && text !== "NaN") return undefined;
      const out = Buffer.alloc(column.baseType === "float4" ? 4 : 8);
      if (column.baseType === "float4") out.writeFloatBE(n);
      else out.writeDoubleBE(n);
      return out;
    }
    case "date": {
      const m = DATE.exec(text);
      const days = m === null ? undefined : daysOf(m[1] as string, m[2] as string, m[3] as string);
      if (days === undefined) return undefined;
      const out = Buffer.alloc(4);
      out.writeInt32BE(days);
      return out;
    }
    case "timestamp":
    case "timestamptz": {
      const quick = quickMicros(text, column.baseType === "timestamptz");
      if (quick !== undefined) return microsField(quick);
      const m = TIMESTAMP.exec(text);
      if (m === null) return undefined;
      const days = daysOf(m[1] as string, m[2] as string, m[3] as string);
      const [hours, minutes, seconds] = [Number(m[4]), Number(m[5]), Number(m[6])];
      if (days === undefined || hours > 23 || minutes > 59 || seconds > 60) return undefined;
      let micros =
        days * DAY_MICROS +
        (hours * 3600 + minutes * 60 + seconds) * 1_000_000 +
        Number((m[7] ?? "").padEnd(6, "0"));
      // A timestamp with time zone is stored in UTC; one without keeps its wall-clock time.
      if (column.baseType === "timestamptz" && m[9] !== undefined) {
        const offset = (Number(m[10]) * 60 + Number(m[11] ?? 0)) * 60_000_000;
        micros -= m[9] === "-" ? -offset : offset;
      }
      return microsField(micros);
    }
    case "uuid": {
      const hex = text.replaceAll("-", "");
      return /^[0-9a-fA-F]{32}$/.test(hex) ? Buffer.from(hex, "hex") : undefined;
    }
    case "json":
      return Buffer.from(JSON.stringify(value));
    case "jsonb":
      return Buffer.concat([Buffer.from([1]), Buffer.from(JSON.stringify(value))]);
    default:
      return Buffer.from(text);
  }
}
