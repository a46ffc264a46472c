/** A decimal number split into its parts, without leading or trailing zeros: `-12.5` → `{ negative, integer: "12", fraction: "5" }`. */
export interface DecimalParts {
  readonly negative: boolean;
  readonly integer: string;
  readonly fraction: string;
}

const DECIMAL_TEXT = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/**
 * Parses decimal text, with or without an exponent, exactly (no floating point).
 * Example: `decimalParts("1.50e2") // { negative: false, integer: "150", fraction: "" }`.
 */
export function decimalParts(text: string): DecimalParts | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) return undefined;
  let integer = match[2] ?? "";
  let fraction = match[3] ?? "";
  if (integer === "" && fraction === "") return undefined;
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10_000) return undefined;
  if (exponent > 0) {
    const moved = fraction.padEnd(exponent, "0");
    integer += moved.slice(0, exponent);
    fraction = moved.slice(exponent);
  } else if (exponent < 0) {
    const moved = integer.padStart(-exponent, "0");
    fraction = moved.slice(moved.length + exponent) + fraction;
    integer = moved.slice(0, moved.length + exponent);
  }
  integer = integer.replace(/^0+/, "");
  fraction = fraction.replace(/0+$/, "");
  const negative = match[1] === "-" && (integer !== "" || fraction !== "");
  return { negative, integer, fraction };
}

/** Parts back to plain decimal text: `{ integer: "", fraction: "5" }` → `0.5`. */
export function decimalText(parts: DecimalParts): string {
  const integer = parts.integer === "" ? "0" : parts.integer;
  const body = parts.fraction === "" ? integer : `${integer}.${parts.fraction}`;
  return parts.negative ? `-${body}` : body;
}

/**
 * The exact decimal value a JavaScript number prints as (its shortest round-trip text), in plain
 * notation: `numberText(1e21) // "1000000000000000000000"`, `numberText(1.5e-7) // "0.00000015"`.
 */
export function numberText(value: number): string {
  const text = String(value);
  if (!text.includes("e")) return text;
  const parts = decimalParts(text);
  return parts === undefined ? text : decimalText(parts);
}
