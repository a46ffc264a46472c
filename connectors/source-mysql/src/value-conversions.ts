/** Why a value became null on its way out, counted per column for one warning per stream. */
export type NulledReason = "zero_date" | "time_out_of_range";

const isZeroPart = (text: string, at: number): boolean =>
  text.charCodeAt(at) === 0x30 && text.charCodeAt(at + 1) === 0x30;

/** A DATE, DATETIME or TIMESTAMP text with a zero month or day (`0000-00-00`, `2024-00-10`). */
export function isZeroDate(text: string): boolean {
  return isZeroPart(text, 5) || isZeroPart(text, 8);
}

/** `2024-01-02 03:04:05.5` as RFC 3339 without offset: `2024-01-02T03:04:05.5`. */
export function localDateTime(text: string): string {
  return `${text.slice(0, 10)}T${text.slice(11)}`;
}

/** A TIMESTAMP read in a UTC session, as RFC 3339 in UTC: `2024-01-02T03:04:05.5Z`. */
export function utcDateTime(text: string): string {
  return `${text.slice(0, 10)}T${text.slice(11)}Z`;
}

/** Whether a TIME text is a time of day (MySQL's TIME also holds durations, -838:59:59 to 838:59:59). */
export function isTimeOfDay(text: string): boolean {
  if (text.charCodeAt(0) === 0x2d) return false;
  const colon = text.indexOf(":");
  return colon === 2 && Number(text.slice(0, 2)) < 24;
}
