import { Transform, type TransformCallback } from "node:stream";
import { binaryRowsEnd } from "./copy-binary-rows-masker.js";
import { MaskingError } from "./copy-text-rows-masker.js";

const NEWLINE = 0x0a;
const BINARY_HEADER_BYTES = 19;
// Rows are handed on in batches of about this many bytes: big enough that a hop to a worker
// thread costs nothing next to the masking, small enough to keep memory flat.
const BATCH_BYTES = 256 * 1024;

/** Masks a buffer of whole COPY rows: in this thread, or in a worker thread of a pool. */
export type MaskRows = (rows: Buffer) => Promise<Buffer>;

/**
 * Cuts a COPY stream (text or binary format) into batches of whole rows, masks each with
 * `maskRows`, and passes the results on in order; a binary stream's header and end marker pass
 * as they are. Up to `inFlight` batches are masked at once (by the workers of a pool).
 * Example: `pipeline(copyOut, new CopyRowMasker(rows => masker.mask(rows, rows.length), "public.users", "text"), copyIn)`.
 */
export class CopyRowMasker extends Transform {
  // Bytes not yet handed on: the start of a row whose end has not come yet is kept in the
  // chunks it came in (a row of 100 MB arrives in thousands: joining them once is linear).
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Binary: the bytes to have before a whole row can be there (a long field's length is known early). */
  #need = 0;
  #header = false;
  readonly #running: Promise<Buffer>[] = [];

  constructor(
    private readonly maskRows: MaskRows,
    private readonly table: string,
    private readonly format: "text" | "binary",
    private readonly inFlight = 1,
  ) {
    super({ readableHighWaterMark: BATCH_BYTES, writableHighWaterMark: BATCH_BYTES });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    const waiting =
      this.format === "text"
        ? this.#pendingBytes < BATCH_BYTES || chunk.indexOf(NEWLINE) < 0
        : this.#pendingBytes < Math.max(BATCH_BYTES, this.#need);
    if (waiting) {
      callback();
      return;
    }
    let data = this.#joined();
    if (this.format === "binary" && !this.#header) {
      if (data.length < BINARY_HEADER_BYTES) {
        callback();
        return;
      }
      this.push(data.subarray(0, BINARY_HEADER_BYTES));
      this.#header = true;
      data = data.subarray(BINARY_HEADER_BYTES);
    }
    const end = this.#rowsEnd(data);
    this.#pending = end < data.length ? [data.subarray(end)] : [];
    this.#pendingBytes = data.length - end;
    if (end === 0) {
      callback();
      return;
    }
    this.#start(data.subarray(0, end));
    this.#drain(this.inFlight - 1).then(
      () => callback(),
      (error: unknown) => callback(error as Error),
    );
  }

  override _flush(callback: TransformCallback): void {
    let data = this.#joined();
    this.#pending = [];
    this.#pendingBytes = 0;
    let trailer: Buffer | undefined;
    if (this.format === "binary") {
      if (!this.#header && data.length >= BINARY_HEADER_BYTES) {
        this.push(data.subarray(0, BINARY_HEADER_BYTES));
        this.#header = true;
        data = data.subarray(BINARY_HEADER_BYTES);
      }
      const { end, trailer: ended } = binaryRowsEnd(data, data.length);
      if (ended) trailer = data.subarray(end);
      if (!this.#header || (ended ? end + 2 !== data.length : end !== data.length)) {
        this.#cut(callback);
        return;
      }
      data = data.subarray(0, end);
    } else if (data.length > 0 && data[data.length - 1] !== NEWLINE) {
      this.#cut(callback);
      return;
    }
    if (data.length > 0) this.#start(data);
    this.#drain(0).then(
      () => {
        if (trailer !== undefined) this.push(trailer);
        callback();
      },
      (error: unknown) => callback(error as Error),
    );
  }

  /** A stream that ends inside a row: COPY never does that. */
  #cut(callback: TransformCallback): void {
    this.#running.length = 0;
    callback(
      new MaskingError(`table ${this.table}: the source's COPY output ended inside a row`, "system_error"),
    );
  }

  #joined(): Buffer {
    return this.#pending.length === 1
      ? (this.#pending[0] as Buffer)
      : Buffer.concat(this.#pending, this.#pendingBytes);
  }

  #rowsEnd(data: Buffer): number {
    if (this.format === "text") return data.lastIndexOf(NEWLINE) + 1;
    const { end, need } = binaryRowsEnd(data, data.length);
    this.#need = need - end;
    return end;
  }

  #start(rows: Buffer): void {
    const masked = this.maskRows(rows);
    // Awaited in order later; a failure meanwhile must not count as unhandled.
    masked.catch(() => {});
    this.#running.push(masked);
  }

  /** Passes on finished batches, in order, until at most `left` are running. */
  async #drain(left: number): Promise<void> {
    while (this.#running.length > left) {
      const next = this.#running.shift() as Promise<Buffer>;
      this.push(await next);
    }
  }
}
