// COPY's text format: one row per line, columns split by tabs, NULL written `\N`, and in values
// backslash escapes for backslash, newline, carriage return, tab, backspace, form feed,
// vertical tab (and octal / hex bytes, which Postgres reads but never writes). A raw newline or
// tab byte never occurs inside a value, so rows and columns are found by byte search alone.

const BACKSLASH = 0x5c;

/** Whether a field's bytes are COPY's NULL marker `\N`. */
export function isNullField(buf: Buffer, start: number, end: number): boolean {
  return end - start === 2 && buf[start] === BACKSLASH && buf[start + 1] === 0x4e;
}

/**
 * A field's text, escapes undone. The field must not be `\N` (see isNullField).
 * Example: `decodeCopyField(Buffer.from("a\\tb"), 0, 4) // "a\tb"`.
 */
export function decodeCopyField(buf: Buffer, start: number, end: number): string {
  // A loop, not indexOf: that would search on past the field, to the end of the whole batch.
  let slash = start;
  while (slash < end && buf[slash] !== BACKSLASH) slash++;
  if (slash === end) return buf.toString("utf8", start, end);
  // Escapes are undone on bytes, so an octal or hex escape of a UTF-8 byte rejoins its character.
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b !== BACKSLASH || i + 1 >= end) {
      out[n++] = b;
      continue;
    }
    const c = buf[++i] as number;
    switch (c) {
      case 0x62: // b
        out[n++] = 0x08;
        break;
      case 0x66: // f
        out[n++] = 0x0c;
        break;
      case 0x6e: // n
        out[n++] = 0x0a;
        break;
      case 0x72: // r
        out[n++] = 0x0d;
        break;
      case 0x74: // t
        out[n++] = 0x09;
        break;
      case 0x76: // v
        out[n++] = 0x0b;
        break;
      case 0x78: {
        // x: one or two hex digits
        let value = 0;
        let digits = 0;
        while (digits < 2 && i + 1 < end && isHex(buf[i + 1] as number)) {
          value = value * 16 + hexValue(buf[++i] as number);
          digits++;
        }
        out[n++] = digits === 0 ? 0x78 : value;
        break;
      }
      default:
        if (c >= 0x30 && c <= 0x37) {
          let value = c - 0x30;
          for (let digits = 1; digits < 3 && i + 1 < end; digits++) {
            const d = buf[i + 1] as number;
            if (d < 0x30 || d > 0x37) break;
            value = value * 8 + (d - 0x30);
            i++;
          }
          out[n++] = value & 0xff;
        } else out[n++] = c;
    }
  }
  return out.toString("utf8", 0, n);
}

const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
const hexValue = (b: number) => (b <= 0x39 ? b - 0x30 : (b & 0x4f) - 0x37);

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
  "\v": "\\v",
};

/** A text as a COPY field. Example: `escapeCopyText("a\tb") // "a\\tb"`. */
export function escapeCopyText(text: string): string {
  // A loop over char codes finds the (usually absent) characters faster than a regular expression.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || (c < 0x0e && c >= 0x08))
      return text.replace(/[\\\n\r\t\b\f\v]/g, (m) => ESCAPES[m] as string);
  }
  return text;
}

/** COPY's NULL marker. */
export const COPY_NULL = "\\N";
