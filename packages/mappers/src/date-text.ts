import type { DateUnit } from "./mapper-config.js";

// Dates and timestamps as Airbyte writes them (RFC 3339: `2024-05-17`, `2024-05-17T13:45:12Z`,
// `2024-05-17T13:45:12.123+02:00`, or without a zone), changed as text: moving a date by whole
// days never touches its time or zone, so nothing is parsed that need not be.

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `YYYY-MM-DD` of a day number (inverse of daysFromCivil). */
export function civilText(days: number): string {
  const z = days + 719_468;
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
  return `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

const digitAt = (text: string, at: number): number => {
  const d = text.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The day number of a text's leading `YYYY-MM-DD`, when the text is a date or a timestamp
 * (the date followed by nothing, or by `T`, `t` or a space); undefined otherwise.
 */
export function leadingDays(text: string): number | undefined {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  if (text.length > 10) {
    const next = text.charCodeAt(10);
    if (next !== 84 && next !== 116 && next !== 32) return undefined;
  }
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  // NaN (a non-digit) fails every comparison below.
  if (!(month >= 1 && month <= 12 && day >= 1 && year >= 1 && day <= daysInMonth(year, month)))
    return undefined;
  // " BC" dates would need the year counted backwards; they are left to the caller as unparseable.
  if (text.endsWith(" BC")) return undefined;
  return daysFromCivil(year, month, day);
}

const FIRST_DAY = daysFromCivil(1, 1, 1);
const LAST_DAY = daysFromCivil(9999, 12, 31);

/**
 * The date or timestamp moved by whole days, keeping its time and zone; undefined when the
 * text is not one or the result leaves years 1–9999.
 * Example: `shiftDateText("2024-02-28T10:00:00Z", 2) // "2024-03-01T10:00:00Z"`.
 */
export function shiftDateText(text: string, days: number): string | undefined {
  const from = leadingDays(text);
  if (from === undefined) return undefined;
  const to = from + days;
  if (to < FIRST_DAY || to > LAST_DAY) return undefined;
  return text.length === 10 ? civilText(to) : civilText(to) + text.slice(10);
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:([Tt ])(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * The date or timestamp truncated to a unit (`2024-05-17T13:45:12.5Z` to `hour`:
 * `2024-05-17T13:00:00Z`); a date alone stays a date. Undefined when the text is not one.
 */
export function truncateDateText(text: string, unit: DateUnit): string | undefined {
  const match = TIMESTAMP.exec(text);
  if (match === null || leadingDays(text) === undefined) return undefined;
  const [, year, month, day, separator, hour, minute, second, zone] = match;
  const date = `${year}-${unit === "year" ? "01" : month}-${unit === "year" || unit === "month" ? "01" : day}`;
  if (separator === undefined) return date;
  const keep = (part: string | undefined, from: DateUnit[]) => (from.includes(unit) ? (part ?? "00") : "00");
  const time = `${keep(hour, ["hour", "minute", "second"])}:${keep(minute, ["minute", "second"])}:${keep(second, ["second"])}`;
  return `${date}${separator}${time}${zone ?? ""}`;
}
