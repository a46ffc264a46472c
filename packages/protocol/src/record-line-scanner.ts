// A validating scanner for the one line shape that dominates every pipe: a plain RECORD,
// `{"type":"RECORD","record":{"stream":…,"namespace":…,"emitted_at":…,"data":{…}}}`. It checks
// the whole line is JSON without building it, and finds the few values the driver needs. Any
// line it is not sure about (another type, extra keys, escapes in the stream name, deep
// nesting, invalid JSON) goes back to JSON.parse, which then decides exactly as before: the
// scanner only ever says "this is certainly a plain RECORD", never "this is invalid".

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const SMALL_E = 0x65;
const CAPITAL_E = 0x45;
const SMALL_U = 0x75;
const FAIL = -1;
// Past this nesting JSON.parse decides (and the scanner's recursion stays shallow).
const MAX_DEPTH = 256;

/** Where a plain RECORD line's parts are, as byte offsets into the scanned buffer. */
export interface RecordLineShape {
  /** The JSON object itself, without surrounding blanks. */
  readonly start: number;
  readonly end: number;
  readonly stream: string;
  /** Absent from the line: undefined; `null` in the line: null. */
  readonly namespace: string | null | undefined;
  readonly emittedAt: number;
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= ZERO && c <= NINE;

// Escapes a JSON string may hold after a backslash: " \ / b f n r t.
const SIMPLE_ESCAPES = new Uint8Array(128);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPES[c.charCodeAt(0)] = 1;

const isHex = (c: number | undefined): boolean =>
  c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

// A newline is not a blank here: it ends the line, and every loop stops at it (see scanRecordLine).
function skipBlanks(b: Uint8Array, i: number): number {
  for (;;) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

// Set by skipString: whether the string just skipped held an escape (its bytes are then not its text).
let escaped = false;

// Bytes that end the fast run through a string: the quote, a backslash, and control
// characters (JSON strings may not hold them raw; the newline among them ends the line).
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;

/** `i` is at the opening quote; returns the index after the closing one. */
function skipString(b: Uint8Array, i: number): number {
  escaped = false;
  i++;
  for (;;) {
    // One table lookup per byte for the common run of plain characters.
    let c = b[i];
    while (c !== undefined && STRING_STOP[c] === 0) c = b[++i];
    if (c === QUOTE) return i + 1;
    if (c !== BACKSLASH) return FAIL;
    escaped = true;
    const e = b[i + 1];
    if (e === SMALL_U) {
      if (!(isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5]))) return FAIL;
      i += 6;
      continue;
    }
    if (e === undefined || e >= 128 || SIMPLE_ESCAPES[e] !== 1) return FAIL;
    i += 2;
  }
}

function skipDigits(b: Uint8Array, i: number): number {
  while (isDigit(b[i])) i++;
  return i;
}

function skipNumber(b: Uint8Array, i: number): number {
  if (b[i] === MINUS) i++;
  const first = b[i];
  if (first === ZERO) i++;
  else if (first !== undefined && first > ZERO && first <= NINE) i = skipDigits(b, i + 1);
  else return FAIL;
  if (b[i] === DOT) {
    if (!isDigit(b[i + 1])) return FAIL;
    i = skipDigits(b, i + 1);
  }
  const e = b[i];
  if (e === SMALL_E || e === CAPITAL_E) {
    i++;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    if (!isDigit(b[i])) return FAIL;
    i = skipDigits(b, i);
  }
  return i;
}

function skipLiteral(b: Uint8Array, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return FAIL;
  return i + word.length;
}

function skipValue(b: Uint8Array, i: number, depth: number): number {
  switch (b[i]) {
    case QUOTE:
      return skipString(b, i);
    case OPEN_BRACE:
      return skipObject(b, i, depth + 1);
    case OPEN_BRACKET:
      return skipArray(b, i, depth + 1);
    case 0x74:
      return skipLiteral(b, i, "true");
    case 0x66:
      return skipLiteral(b, i, "false");
    case 0x6e:
      return skipLiteral(b, i, "null");
    default:
      return skipNumber(b, i);
  }
}

function skipObject(b: Uint8Array, i: number, depth: number): number {
  if (depth > MAX_DEPTH) return FAIL;
  i = skipBlanks(b, i + 1);
  if (b[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (b[i] !== QUOTE) return FAIL;
    i = skipString(b, i);
    if (i === FAIL) return FAIL;
    i = skipBlanks(b, i);
    if (b[i] !== COLON) return FAIL;
    i = skipValue(b, skipBlanks(b, i + 1), depth);
    if (i === FAIL) return FAIL;
    i = skipBlanks(b, i);
    const c = b[i];
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) return FAIL;
    i = skipBlanks(b, i + 1);
  }
}

function skipArray(b: Uint8Array, i: number, depth: number): number {
  if (depth > MAX_DEPTH) return FAIL;
  i = skipBlanks(b, i + 1);
  if (b[i] === CLOSE_BRACKET) return i + 1;
  for (;;) {
    i = skipValue(b, i, depth);
    if (i === FAIL) return FAIL;
    i = skipBlanks(b, i);
    const c = b[i];
    if (c === CLOSE_BRACKET) return i + 1;
    if (c !== COMMA) return FAIL;
    i = skipBlanks(b, i + 1);
  }
}

/** Whether the bytes between the quotes at `start` and `end - 1` are exactly `word` (ASCII). */
function keyIs(b: Uint8Array, start: number, end: number, word: string): boolean {
  if (end - start - 2 !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (b[start + 1 + k] !== word.charCodeAt(k)) return false;
  return true;
}

const decoder = new TextDecoder();

// Cheap for the common case of a plain integer of milliseconds; anything else through Number().
function numberAt(b: Uint8Array, start: number, end: number): number {
  if (end - start <= 15) {
    let value = 0;
    let k = start;
    for (; k < end; k++) {
      const c = b[k] as number;
      if (c < ZERO || c > NINE) break;
      value = value * 10 + (c - ZERO);
    }
    if (k === end) return value;
  }
  return Number(decoder.decode(b.subarray(start, end)));
}

// Most lines name the stream of the line before: its text is kept and reused, not decoded again.
let lastName = "";
let lastNameBytes = new Uint8Array(0);

function streamName(b: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length === lastNameBytes.length) {
    let k = 0;
    while (k < length && b[start + k] === lastNameBytes[k]) k++;
    if (k === length) return lastName;
  }
  lastNameBytes = b.slice(start, end);
  lastName = decoder.decode(lastNameBytes);
  return lastName;
}

// The RECORD body's parts, filled by scanRecordBody.
let stream: string | undefined;
let namespace: string | null | undefined;
let emittedAt = 0;

const STREAM = 1;
const NAMESPACE = 2;
const EMITTED_AT = 4;
const DATA = 8;

function scanRecordBody(b: Uint8Array, i: number): number {
  let seen = 0;
  namespace = undefined;
  i = skipBlanks(b, i + 1);
  for (;;) {
    if (b[i] !== QUOTE) return FAIL;
    const keyStart = i;
    i = skipString(b, i);
    if (i === FAIL || escaped) return FAIL;
    const keyEnd = i;
    i = skipBlanks(b, i);
    if (b[i] !== COLON) return FAIL;
    const valueStart = skipBlanks(b, i + 1);
    const first = b[valueStart];
    let field: number;
    if (keyIs(b, keyStart, keyEnd, "data")) {
      if (first !== OPEN_BRACE) return FAIL;
      i = skipObject(b, valueStart, 2);
      field = DATA;
    } else if (keyIs(b, keyStart, keyEnd, "stream")) {
      if (first !== QUOTE) return FAIL;
      i = skipString(b, valueStart);
      if (i === FAIL || escaped) return FAIL;
      stream = streamName(b, valueStart + 1, i - 1);
      field = STREAM;
    } else if (keyIs(b, keyStart, keyEnd, "emitted_at")) {
      i = skipNumber(b, valueStart);
      if (i === FAIL) return FAIL;
      emittedAt = numberAt(b, valueStart, i);
      field = EMITTED_AT;
    } else if (keyIs(b, keyStart, keyEnd, "namespace")) {
      if (first === QUOTE) {
        i = skipString(b, valueStart);
        if (i === FAIL || escaped) return FAIL;
        namespace = decoder.decode(b.subarray(valueStart + 1, i - 1));
      } else {
        i = skipLiteral(b, valueStart, "null");
        namespace = null;
      }
      field = NAMESPACE;
    } else return FAIL;
    if (i === FAIL || (seen & field) !== 0) return FAIL;
    seen |= field;
    i = skipBlanks(b, i);
    const c = b[i];
    if (c === CLOSE_BRACE)
      return (seen | NAMESPACE) === (STREAM | NAMESPACE | EMITTED_AT | DATA) ? i + 1 : FAIL;
    if (c !== COMMA) return FAIL;
    i = skipBlanks(b, i + 1);
  }
}

/**
 * Scans one line, the bytes from `from` to `to` of `b`, for a plain RECORD: only `type` and
 * `record` at the top, only `stream`, `namespace`, `emitted_at` and `data` in the record, valid
 * JSON throughout. Returns undefined for anything else, which the caller parses in full. The
 * line is read in place, without a copy: the byte at `to`, if `b` has one, must be the line's
 * newline, which no JSON token may contain, so the scan never runs past it.
 * Example: `scanRecordLine(Buffer.from('{"type":"RECORD","record":{"stream":"a","data":{},"emitted_at":1}}'))?.stream // "a"`
 */
export function scanRecordLine(b: Uint8Array, from = 0, to = b.length): RecordLineShape | undefined {
  const start = skipBlanks(b, from);
  if (b[start] !== OPEN_BRACE) return undefined;
  let isRecord = false;
  let bodySeen = false;
  let i = skipBlanks(b, start + 1);
  for (;;) {
    if (b[i] !== QUOTE) return undefined;
    const keyStart = i;
    i = skipString(b, i);
    if (i === FAIL || escaped) return undefined;
    const keyEnd = i;
    i = skipBlanks(b, i);
    if (b[i] !== COLON) return undefined;
    const valueStart = skipBlanks(b, i + 1);
    if (keyIs(b, keyStart, keyEnd, "type")) {
      if (isRecord || b[valueStart] !== QUOTE) return undefined;
      i = skipString(b, valueStart);
      if (i === FAIL || !keyIs(b, valueStart, i, "RECORD")) return undefined;
      isRecord = true;
    } else if (keyIs(b, keyStart, keyEnd, "record")) {
      if (bodySeen || b[valueStart] !== OPEN_BRACE) return undefined;
      i = scanRecordBody(b, valueStart);
      if (i === FAIL) return undefined;
      bodySeen = true;
    } else return undefined;
    i = skipBlanks(b, i);
    const c = b[i];
    if (c === CLOSE_BRACE) break;
    if (c !== COMMA) return undefined;
    i = skipBlanks(b, i + 1);
  }
  const end = i + 1;
  if (!isRecord || !bodySeen || stream === undefined) return undefined;
  if (end !== to && skipBlanks(b, end) !== to) return undefined;
  return { start, end, stream, namespace, emittedAt };
}
