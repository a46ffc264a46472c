import { Transform, type TransformCallback } from "node:stream";
import { MaskingError } from "./copy-text-rows-masker.js";

const NEWLINE = 0x0a;
// Rows are handed on in batches of about this many bytes: big enough that a hop to a worker
// thread costs nothing next to the masking, small enough to keep memory flat.
const BATCH_BYTES = 256 * 1024;

/** Masks a buffer of complete COPY rows: in this thread, or in a worker thread of a pool. */
export type MaskRows = (rows: Buffer) => Promise<Buffer>;

/**
 * Cuts a COPY text stream into batches of whole rows, masks each with `maskRows`, and passes
 * the results on in order. Up to `inFlight` batches are masked at once (workers of a pool).
 * Example: `pipeline(copyOut, new CopyRowMasker(rows => masker.mask(rows, rows.length), "public.users"), copyIn)`.
 */
export class CopyRowMasker extends Transform {
  // Bytes not yet handed on: the start of a row whose end has not come yet is kept in the
  // chunks it came in (a row of 100 MB arrives in thousands: joining them once is linear).
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  readonly #running: Promise<Buffer>[] = [];

  constructor(
    private readonly maskRows: MaskRows,
    private readonly table: string,
    private readonly inFlight = 1,
  ) {
    super({ readableHighWaterMark: BATCH_BYTES, writableHighWaterMark: BATCH_BYTES });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes < BATCH_BYTES || chunk.indexOf(NEWLINE) < 0) {
      callback();
      return;
    }
    const data = this.#pending.length === 1 ? chunk : Buffer.concat(this.#pending, this.#pendingBytes);
    const end = data.lastIndexOf(NEWLINE) + 1;
    this.#pending = end < data.length ? [data.subarray(end)] : [];
    this.#pendingBytes = data.length - end;
    this.#start(data.subarray(0, end));
    this.#drain(this.inFlight - 1).then(
      () => callback(),
      (error: unknown) => callback(error as Error),
    );
  }

  override _flush(callback: TransformCallback): void {
    const data = Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    if (data.length > 0 && data[data.length - 1] !== NEWLINE) {
      // COPY ends every row with a newline; bytes after the last one would be a cut row.
      this.#running.length = 0;
      callback(
        new MaskingError(`table ${this.table}: the source's COPY output ended inside a row`, "system_error"),
      );
      return;
    }
    if (data.length > 0) this.#start(data);
    this.#drain(0).then(
      () => callback(),
      (error: unknown) => callback(error as Error),
    );
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
