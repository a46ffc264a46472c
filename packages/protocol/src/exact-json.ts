// Keeps the text JSON values were parsed from, so they can be written back exactly. State is
// opaque to everyone but its source, and JSON.parse is not lossless: 99999999999999999 comes back
// as 100000000000000000, 1.10 as 1.1. A state read off a connector, or from a state file, is
// written back (to the destination, the state file, the source's --state) as the text it came
// in as, unless the value was changed since.

const texts = new WeakMap<object, string>();

const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipBlanks(b: Buffer, i: number): number {
  while (isBlank(b[i])) i++;
  return i;
}

function endOfString(b: Buffer, i: number): number {
  i++;
  for (;;) {
    const c = b[i];
    if (c === undefined) return i;
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// Walks valid JSON text (JSON.parse already accepted it) alongside the value parsed from it, and
// remembers the text of every object and array. Returns the index after the value at `i`.
function walk(node: unknown, b: Buffer, i: number): number {
  const start = i;
  const c = b[i];
  if (c === 0x22) return endOfString(b, i);
  if (c === 0x7b || c === 0x5b) {
    const close = c === 0x7b ? 0x7d : 0x5d;
    let index = 0;
    i = skipBlanks(b, i + 1);
    while (b[i] !== close && i < b.length) {
      let child: unknown;
      if (c === 0x7b) {
        const keyEnd = endOfString(b, i);
        const key = JSON.parse(b.toString("utf8", i, keyEnd)) as string;
        child = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
        i = skipBlanks(b, skipBlanks(b, keyEnd) + 1);
      } else {
        child = Array.isArray(node) ? node[index++] : undefined;
      }
      i = skipBlanks(b, walk(child, b, i));
      if (b[i] === 0x2c) i = skipBlanks(b, i + 1);
    }
    const end = i + 1;
    if (typeof node === "object" && node !== null) texts.set(node, b.toString("utf8", start, end));
    return end;
  }
  while (i < b.length && !isBlank(b[i]) && b[i] !== 0x2c && b[i] !== 0x5d && b[i] !== 0x7d) i++;
  return i;
}

/**
 * Remembers the text `value` was parsed from (for it and every object and array inside it), so
 * stringifyExact can write it back as it was. `value` must be `JSON.parse(text)` or a copy with
 * the same structure (as a schema library's parse returns).
 * Example: `const state = JSON.parse(text); rememberJsonText(state, text)`.
 */
export function rememberJsonText(value: unknown, text: string): void {
  if (typeof value !== "object" || value === null) return;
  const b = Buffer.from(text);
  walk(value, b, skipBlanks(b, 0));
}

/**
 * Parses JSON and remembers its text (see rememberJsonText); throws as JSON.parse does.
 * Example: `parseExactJson('{"cursor": 99999999999999999}')`.
 */
export function parseExactJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  rememberJsonText(value, text);
  return value;
}

// The remembered text still says what the value holds, as far as JavaScript can tell.
function unchanged(value: object, text: string): boolean {
  return JSON.stringify(value) === JSON.stringify(JSON.parse(text));
}

function write(value: unknown, indent: string, depth: number): string | undefined {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const text = texts.get(value);
  if (text !== undefined && unchanged(value, text)) return text;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") return write((json as () => unknown).call(value), indent, depth);
  const inner = indent === "" ? "" : `\n${indent.repeat(depth + 1)}`;
  const outer = indent === "" ? "" : `\n${indent.repeat(depth)}`;
  const colon = indent === "" ? ":" : ": ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => write(item, indent, depth + 1) ?? "null");
    return `[${inner}${items.join(`,${inner}`)}${outer}]`;
  }
  const entries: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const written = write(item, indent, depth + 1);
    if (written !== undefined) entries.push(`${JSON.stringify(key)}${colon}${written}`);
  }
  if (entries.length === 0) return "{}";
  return `{${inner}${entries.join(`,${inner}`)}${outer}}`;
}

/**
 * JSON.stringify that writes every object or array with a remembered text (see
 * rememberJsonText) as that text, unless it was changed since. `indent` as JSON.stringify's.
 * Example: `stringifyExact(parseExactJson('{"a": 99999999999999999}')) // '{"a": 99999999999999999}'`.
 */
export function stringifyExact(value: unknown, indent = 0): string {
  return write(value, " ".repeat(indent), 0) ?? "null";
}
