import { rememberJsonText, stringifyExact } from "./exact-json.js";
import { copyRawLine, pipedRecord, rawLineLength, rawLineOf } from "./piped-record.js";
import { scanRecordLine } from "./record-line-scanner.js";
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

/** Receives the lines a ByteLineSplitter finds: `buffer` from `start` to `end` (the newline or the buffer's end). */
export type LineHandler = (buffer: Buffer, start: number, end: number) => void;

/**
 * Splits a byte stream into lines without copying them: a line inside one chunk is handed over
 * as its place in that chunk, so a chunk must not be changed after it was pushed. A line spread
 * over many chunks is joined once, when its end arrives, so long lines cost linear time; a line
 * past `maxLineBytes` is not buffered further but reported as oversized.
 * Example: `new ByteLineSplitter().push(chunk, (b, s, e) => console.log(b.toString("utf8", s, e)), console.warn)`
 */
export class ByteLineSplitter {
  readonly #maxLineBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #discarding: { bytes: number; head: string } | undefined;

  constructor(options: { maxLineBytes?: number } = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  push(chunk: Buffer, onLine: LineHandler, onOversized: (line: OversizedLine) => void): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      if (this.#discarding === undefined && this.#pendingBytes === 0 && nl - start <= this.#maxLineBytes) {
        onLine(chunk, start, nl);
      } else this.#finish(chunk, start, nl, onLine, onOversized);
      start = nl + 1;
    }
    if (start < chunk.length) this.#keep(chunk, start);
  }

  /** Hands over the last line, when the stream did not end with a newline. */
  end(onLine: LineHandler, onOversized: (line: OversizedLine) => void): void {
    if (this.#discarding === undefined && this.#pendingBytes === 0) return;
    this.#finish(Buffer.alloc(0), 0, 0, onLine, onOversized);
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
    // Copy: the pending part must not pin the whole chunk (or follow a caller that reuses it).
    this.#pending.push(Buffer.from(chunk.subarray(start)));
    this.#pendingBytes += bytes;
  }

  #finish(
    chunk: Buffer,
    start: number,
    end: number,
    onLine: LineHandler,
    onOversized: (line: OversizedLine) => void,
  ): void {
    if (this.#discarding !== undefined) {
      const { bytes, head } = this.#discarding;
      this.#discarding = undefined;
      onOversized({ oversized: true, bytes: bytes + (end - start), head });
      return;
    }
    const bytes = this.#pendingBytes + (end - start);
    if (bytes > this.#maxLineBytes) {
      const head = headOf([...this.#pending, chunk.subarray(start, end)]);
      this.#pending = [];
      this.#pendingBytes = 0;
      onOversized({ oversized: true, bytes, head });
      return;
    }
    this.#pending.push(chunk.subarray(start, end));
    const line = Buffer.concat(this.#pending, bytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    onLine(line, 0, line.length);
  }
}

/**
 * Splits a byte stream into lines of text; see ByteLineSplitter. The chunk may be reused once
 * push() returns. Example: `const s = new LineSplitter(); s.push(Buffer.from("a\nb")); s.end() // ["b"]`
 */
export class LineSplitter {
  readonly #bytes: ByteLineSplitter;
  #lines: SplitLine[] = [];
  readonly #onLine: LineHandler = (buffer, start, end) =>
    this.#lines.push(buffer.toString("utf8", start, end));
  readonly #onOversized = (line: OversizedLine) => this.#lines.push(line);

  constructor(options: { maxLineBytes?: number } = {}) {
    this.#bytes = new ByteLineSplitter(options);
  }

  push(chunk: Buffer): SplitLine[] {
    this.#bytes.push(chunk, this.#onLine, this.#onOversized);
    return this.#take();
  }

  end(): SplitLine[] {
    this.#bytes.end(this.#onLine, this.#onOversized);
    return this.#take();
  }

  #take(): SplitLine[] {
    const lines = this.#lines;
    this.#lines = [];
    return lines;
  }
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
      return { kind: "message", message: value as AirbyteMessage };
    }
    return noise(text, "RECORD without stream, data object or numeric emitted_at");
  }
  const parsed = AirbyteMessage.safeParse(value);
  if (parsed.success) {
    // State is opaque and must go on exactly as the source wrote it, big numbers included.
    if (parsed.data.type === "STATE") rememberJsonText(parsed.data, text);
    return { kind: "message", message: parsed.data };
  }
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? "" : ` at ${issue.path.join(".") || "(root)"}: ${issue.message}`;
  return noise(text, `not a valid ${value.type} message${where}`);
}

/** One message as one line of JSON, without the newline; a STATE as the text it was read as, if unchanged. */
export function serializeMessage(message: AirbyteMessage): string {
  return message.type === "STATE" ? stringifyExact(message) : JSON.stringify(message);
}

/** Messages as JSON lines, each ending in a newline, ready for a pipe. */
export function encodeMessages(messages: readonly AirbyteMessage[]): string {
  let out = "";
  for (const message of messages)
    out += `${rawLineOf(message)?.toString("utf8") ?? serializeMessage(message)}\n`;
  return out;
}

/**
 * Messages as JSON lines in one Buffer: a RECORD that came off a pipe unchanged is copied as
 * the bytes it came in as. Example: `stdin.write(encodeMessageBytes(batch))`.
 */
export function encodeMessageBytes(messages: readonly AirbyteMessage[]): Buffer {
  // Serialised lines of the messages without a raw line, by index; raw lines are copied in place.
  const fresh: (Buffer | undefined)[] = new Array(messages.length);
  let total = 0;
  for (let k = 0; k < messages.length; k++) {
    const message = messages[k] as AirbyteMessage;
    let length = rawLineLength(message);
    if (length < 0) {
      const line = Buffer.from(serializeMessage(message));
      fresh[k] = line;
      length = line.length;
    }
    total += length + 1;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let k = 0; k < messages.length; k++) {
    const line = fresh[k];
    at += line === undefined ? copyRawLine(messages[k] as AirbyteMessage, out, at) : line.copy(out, at);
    out[at++] = NEWLINE;
  }
  return out;
}

/**
 * Parses one line given as bytes: a plain RECORD is scanned, not built (see pipedRecord);
 * everything else as parseLine does. Example: `parseLineBytes(Buffer.from("{}")).kind // "noise"`
 */
export function parseLineBytes(line: Buffer): ParsedLine {
  const shape = scanRecordLine(line, 0, line.length);
  if (shape !== undefined) return { kind: "message", message: pipedRecord(line, shape) };
  return parseLine(line.toString("utf8"));
}

/** A line that is not a protocol message: noise to log, or a line too long to read. */
export type SkippedLine = Exclude<ParsedLine, { kind: "message" }>;

/** Where a MessageDecoder puts what it finds, in the order of the lines. */
export interface DecodedLines {
  message(message: AirbyteMessage): void;
  skipped(line: SkippedLine): void;
}

/**
 * Decodes a byte stream into protocol messages, line by line, with no object per line but the
 * message itself: plain RECORDs are scanned in place (see pipedRecord), other lines parsed.
 * Blank lines are dropped. Example:
 * `const d = new MessageDecoder({ message: (m) => out.push(m), skipped: log }); d.push(chunk); d.end()`
 */
export class MessageDecoder {
  readonly #splitter: ByteLineSplitter;
  readonly #onLine: LineHandler;
  readonly #onOversized: (line: OversizedLine) => void;

  constructor(sink: DecodedLines, options: { maxLineBytes?: number } = {}) {
    this.#splitter = new ByteLineSplitter(options);
    this.#onLine = (buffer, start, end) => {
      // Blank lines carry nothing, not even noise worth logging.
      if (end === start || (end === start + 1 && buffer[start] === 0x0d)) return;
      const shape = scanRecordLine(buffer, start, end);
      if (shape !== undefined) {
        sink.message(pipedRecord(buffer, shape));
        return;
      }
      const parsed = parseLine(buffer.toString("utf8", start, end));
      if (parsed.kind === "message") sink.message(parsed.message);
      else sink.skipped(parsed);
    };
    this.#onOversized = (line) => sink.skipped({ kind: "oversized", bytes: line.bytes, head: line.head });
  }

  push(chunk: Buffer): void {
    this.#splitter.push(chunk, this.#onLine, this.#onOversized);
  }

  end(): void {
    this.#splitter.end(this.#onLine, this.#onOversized);
  }
}

/**
 * Decodes a connector's stdout into parsed lines, one batch per input chunk.
 * Example: `for await (const batch of decodeMessageStream(child.stdout)) …`
 */
export async function* decodeMessageStream(
  source: AsyncIterable<Buffer | string>,
  options: { maxLineBytes?: number } = {},
): AsyncGenerator<ParsedLine[]> {
  let batch: ParsedLine[] = [];
  const decoder = new MessageDecoder(
    { message: (message) => batch.push({ kind: "message", message }), skipped: (line) => batch.push(line) },
    options,
  );
  for await (const chunk of source) {
    decoder.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  decoder.end();
  if (batch.length > 0) yield batch;
}
