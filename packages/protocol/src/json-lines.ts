import { AirbyteMessage } from "./schemas.js";

/** A line too long to keep: its size in bytes and its first bytes, for the error message. */
export interface OversizedLine {
  readonly oversized: true;
  readonly bytes: number;
  readonly head: string;
}

export type SplitLine = string | OversizedLine;

/** What one line of a connector's stdout turned out to be. */
export type ParsedLine =
  | { readonly kind: "message"; readonly message: AirbyteMessage }
  | { readonly kind: "noise"; readonly text: string; readonly reason: string }
  | { readonly kind: "oversized"; readonly bytes: number; readonly head: string };

/** Airbyte's platform refuses records past 20 MB; a line this long is a broken connector. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const HEAD_BYTES = 120;
const NEWLINE = 0x0a;

// Copies only the first bytes of an oversized line, never the megabytes behind them.
function headOf(parts: readonly Buffer[]): string {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat(parts, Math.min(HEAD_BYTES, total)).toString("utf8");
}

/**
 * Splits a byte stream into lines. A line spread over many chunks is joined once, when its
 * end arrives, so long lines cost linear time; a line past `maxLineBytes` is not buffered
 * further but reported as oversized.
 * Example: `const s = new LineSplitter(); s.push(Buffer.from("a\nb")); s.end() // ["b"]`
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #discarding: { bytes: number; head: string } | undefined;

  constructor(options: { maxLineBytes?: number } = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  push(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      lines.push(this.#finish(chunk, start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) this.#keep(chunk, start);
    return lines;
  }

  end(): SplitLine[] {
    if (this.#discarding === undefined && this.#pendingBytes === 0) return [];
    return [this.#finish(Buffer.alloc(0), 0, 0)];
  }

  #keep(chunk: Buffer, start: number): void {
    const bytes = chunk.length - start;
    if (this.#discarding !== undefined) {
      this.#discarding.bytes += bytes;
      return;
    }
    if (this.#pendingBytes + bytes > this.#maxLineBytes) {
      const head = headOf([...this.#pending, chunk.subarray(start)]);
      this.#discarding = { bytes: this.#pendingBytes + bytes, head };
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    // Copy: the caller may reuse the chunk's memory after push() returns.
    this.#pending.push(Buffer.from(chunk.subarray(start)));
    this.#pendingBytes += bytes;
  }

  #finish(chunk: Buffer, start: number, end: number): SplitLine {
    if (this.#discarding !== undefined) {
      const { bytes, head } = this.#discarding;
      this.#discarding = undefined;
      return { oversized: true, bytes: bytes + (end - start), head };
    }
    if (this.#pendingBytes + (end - start) > this.#maxLineBytes) {
      const head = headOf([...this.#pending, chunk.subarray(start, end)]);
      const bytes = this.#pendingBytes + (end - start);
      this.#pending = [];
      this.#pendingBytes = 0;
      return { oversized: true, bytes, head };
    }
    if (this.#pendingBytes === 0) return chunk.toString("utf8", start, end);
    this.#pending.push(chunk.subarray(start, end));
    const line = Buffer.concat(this.#pending, this.#pendingBytes + (end - start)).toString("utf8");
    this.#pending = [];
    this.#pendingBytes = 0;
    return line;
  }
}

// The text each RECORD was parsed from. A record passed from one process to another unchanged
// is written out as the bytes it came in as, instead of being serialised again: that halves the
// per-record work of a process-to-process pipe. Messages are treated as immutable: code that
// changes a record builds a new message object, which has no raw line.
const rawLines = new WeakMap<object, string>();

/** The line a message was parsed from, if it is a RECORD that came off a pipe unchanged. */
export function rawLineOf(message: AirbyteMessage): string | undefined {
  return rawLines.get(message);
}

const OPEN_BRACE = 0x7b;

// Where the first non-blank character is, without copying the line as trimStart() would.
function firstNonBlank(text: string): number {
  let i = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return i;
    i++;
  }
}

const noise = (text: string, reason: string): ParsedLine => ({ kind: "noise", text, reason });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Parses one line. RECORD, the hot path, is checked by hand; the rare message types go through
 * the zod schemas. Anything else is noise, which Airbyte's platform logs and skips.
 * Example: `parseLine('{"type":"LOG","log":{"level":"INFO","message":"hi"}}').kind // "message"`
 */
export function parseLine(line: string): ParsedLine {
  let text = line.endsWith("\r") ? line.slice(0, -1) : line;
  // A byte-order mark before the first line is an encoding artefact, not content.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.charCodeAt(firstNonBlank(text)) !== OPEN_BRACE) return noise(text, "not a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return noise(text, "not valid JSON");
  }
  if (!isObject(value) || typeof value.type !== "string") return noise(text, "no message type");
  if (value.type === "RECORD") {
    const record = value.record;
    if (
      isObject(record) &&
      typeof record.stream === "string" &&
      (record.namespace == null || typeof record.namespace === "string") &&
      isObject(record.data) &&
      typeof record.emitted_at === "number"
    ) {
      rawLines.set(value, text);
      return { kind: "message", message: value as AirbyteMessage };
    }
    return noise(text, "RECORD without stream, data object or numeric emitted_at");
  }
  const parsed = AirbyteMessage.safeParse(value);
  if (parsed.success) return { kind: "message", message: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? "" : ` at ${issue.path.join(".") || "(root)"}: ${issue.message}`;
  return noise(text, `not a valid ${value.type} message${where}`);
}

/** One message as one line of JSON, without the newline. */
export function serializeMessage(message: AirbyteMessage): string {
  return JSON.stringify(message);
}

/** Messages as JSON lines, each ending in a newline, ready for a pipe. */
export function encodeMessages(messages: readonly AirbyteMessage[]): string {
  let out = "";
  for (const message of messages) out += `${rawLines.get(message) ?? JSON.stringify(message)}\n`;
  return out;
}

function parseSplit(line: SplitLine, out: ParsedLine[]): void {
  if (typeof line !== "string") {
    out.push({ kind: "oversized", bytes: line.bytes, head: line.head });
    return;
  }
  // Blank lines carry nothing, not even noise worth logging.
  if (line.length === 0 || line === "\r") return;
  out.push(parseLine(line));
}

/**
 * Decodes a connector's stdout into parsed lines, one batch per input chunk.
 * Example: `for await (const batch of decodeMessageStream(child.stdout)) …`
 */
export async function* decodeMessageStream(
  source: AsyncIterable<Buffer | string>,
  options: { maxLineBytes?: number } = {},
): AsyncGenerator<ParsedLine[]> {
  const splitter = new LineSplitter(options);
  for await (const chunk of source) {
    const batch: ParsedLine[] = [];
    for (const line of splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk)) {
      parseSplit(line, batch);
    }
    if (batch.length > 0) yield batch;
  }
  const rest: ParsedLine[] = [];
  for (const line of splitter.end()) parseSplit(line, rest);
  if (rest.length > 0) yield rest;
}
