import type { RecordLineShape } from "./record-line-scanner.js";
import type { AirbyteMessage, AirbyteRecordMessage } from "./schemas.js";

type RecordData = AirbyteRecordMessage["data"];

// A RECORD read off a pipe keeps the bytes it came in as, and parses its `data` only when some
// code reads it. A record going from one process to another unchanged is then never built as
// objects nor serialised again: the driver counts it by stream and writes the same bytes on.
// Reading `data` parses the line once and stops the bytes from being reused, so a change made
// in place is written out as changed.
//
// `data` is an accessor on the prototype, not an own property: objects with accessors of their
// own cost V8 a slow path (40x the allocation time, measured). JSON.stringify and structuredClone
// go through toJSON / the accessor, but a spread (`{ ...record }`) copies own properties only
// and would drop `data`: code that copies records must call plainRecordMessage first (the
// in-process handles and the mappers do).
class PipedRecordBody {
  declare namespace?: string | null;
  readonly stream: string;
  readonly emitted_at: number;
  #line: Buffer | undefined;
  #start: number;
  #end: number;
  #data: RecordData | undefined;

  constructor(line: Buffer, shape: RecordLineShape) {
    this.stream = shape.stream;
    if (shape.namespace !== undefined) this.namespace = shape.namespace;
    this.emitted_at = shape.emittedAt;
    this.#line = line;
    this.#start = shape.start;
    this.#end = shape.end;
  }

  get data(): RecordData {
    if (this.#data === undefined) {
      const text = (this.#line as Buffer).toString("utf8", this.#start, this.#end);
      this.#data = (JSON.parse(text) as { record: AirbyteRecordMessage }).record.data;
      this.#line = undefined;
    }
    return this.#data;
  }

  set data(value: RecordData) {
    this.#data = value;
    this.#line = undefined;
  }

  toJSON(): AirbyteRecordMessage {
    return plainBody(this);
  }

  /** Copies the line into `target` at `at`; returns the bytes copied, or -1 when there is no line. */
  static copyLine(body: PipedRecordBody, target: Buffer, at: number): number {
    const line = body.#line;
    return line === undefined ? -1 : line.copy(target, at, body.#start, body.#end);
  }

  static lengthOf(body: PipedRecordBody): number {
    return body.#line === undefined ? -1 : body.#end - body.#start;
  }

  static bytesOf(body: PipedRecordBody): Buffer | undefined {
    const line = body.#line;
    if (line === undefined) return undefined;
    return body.#start === 0 && body.#end === line.length ? line : line.subarray(body.#start, body.#end);
  }
}

function plainBody(body: PipedRecordBody): AirbyteRecordMessage {
  const { stream, emitted_at } = body;
  return body.namespace === undefined
    ? { stream, emitted_at, data: body.data }
    : { stream, namespace: body.namespace, emitted_at, data: body.data };
}

/**
 * A RECORD message for a line the scanner found to be a plain RECORD; the bytes of
 * `line` from `shape.start` to `shape.end` must stay unchanged. Example:
 * `pipedRecord(line, scanRecordLine(line, 0, line.length)!)`.
 */
export function pipedRecord(line: Buffer, shape: RecordLineShape): AirbyteMessage {
  return { type: "RECORD", record: new PipedRecordBody(line, shape) as unknown as AirbyteRecordMessage };
}

/**
 * The bytes a RECORD was read as, if it came off a pipe and nobody has read or changed its
 * data since. Example: `rawLineOf(message)?.length // the line's size in bytes`.
 */
export function rawLineOf(message: AirbyteMessage): Buffer | undefined {
  if (message.type !== "RECORD") return undefined;
  const record: unknown = message.record;
  return record instanceof PipedRecordBody ? PipedRecordBody.bytesOf(record) : undefined;
}

/**
 * The size in bytes of the line a RECORD was read as (see rawLineOf), or -1 when it has none.
 * Example: `rawLineLength(message) // 512`.
 */
export function rawLineLength(message: AirbyteMessage): number {
  if (message.type !== "RECORD") return -1;
  const record: unknown = message.record;
  return record instanceof PipedRecordBody ? PipedRecordBody.lengthOf(record) : -1;
}

/**
 * Copies the line a RECORD was read as into `target` at `at`; returns the bytes copied, or -1
 * when it has none (see rawLineOf). Example: `copyRawLine(message, out, 0)`.
 */
export function copyRawLine(message: AirbyteMessage, target: Buffer, at: number): number {
  if (message.type !== "RECORD") return -1;
  const record: unknown = message.record;
  return record instanceof PipedRecordBody ? PipedRecordBody.copyLine(record, target, at) : -1;
}

/**
 * The message with its record as a plain object (data parsed), safe to spread and copy; other
 * messages as they are. Example: `const { data } = plainRecordMessage(message).record`.
 */
export function plainRecordMessage(message: AirbyteMessage): AirbyteMessage {
  if (message.type !== "RECORD") return message;
  const record: unknown = message.record;
  if (!(record instanceof PipedRecordBody)) return message;
  return { type: "RECORD", record: plainBody(record) };
}
