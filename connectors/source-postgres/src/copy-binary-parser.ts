const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER_BYTES = 19;

/**
 * Receives one complete row: field `i` is `bufs[i][starts[i], ends[i])`, or NULL when `starts[i]`
 * is -1. The arrays are reused for the next row; the buffers are not, so slices may be kept.
 */
export type RowSink = (bufs: readonly Buffer[], starts: Int32Array, ends: Int32Array) => void;

/**
 * Splits the output of `COPY … TO STDOUT (FORMAT binary)` into rows, across chunk boundaries,
 * without copying field bytes. A field larger than a chunk (a 100 MB bytea) is gathered chunk
 * by chunk and joined once; the other fields of its row stay where they are, so memory holds
 * about one copy of a big value. Example:
 * `const parser = new CopyBinaryParser(3); for await (const chunk of stream) parser.push(chunk, sink); parser.end()`.
 */
export class CopyBinaryParser {
  readonly #fields: number;
  readonly #bufs: Buffer[];
  readonly #starts: Int32Array;
  readonly #ends: Int32Array;
  #headerDone = false;
  #trailerSeen = false;
  /** The next field of the current row; -1 before its field count. */
  #field = -1;
  /** Bytes of a 2- or 4-byte header cut by a chunk boundary. */
  #carry: Buffer | undefined;
  /** A field value gathered across chunks. */
  #parts: Buffer[] = [];
  #partBytes = 0;
  #partSize = 0;
  /** Rows parsed so far. */
  rows = 0;

  constructor(fields: number) {
    this.#fields = fields;
    this.#bufs = new Array<Buffer>(fields);
    this.#starts = new Int32Array(fields);
    this.#ends = new Int32Array(fields);
  }

  push(input: Buffer, sink: RowSink): void {
    let buf = input;
    if (this.#carry !== undefined) {
      buf = Buffer.concat([this.#carry, input]);
      this.#carry = undefined;
    }
    let pos = 0;
    if (this.#partSize > 0) pos = this.#gather(buf, 0);
    if (!this.#headerDone) {
      if (buf.length < HEADER_BYTES) {
        this.#keep(buf, 0);
        return;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error("not a binary COPY stream");
      const end = HEADER_BYTES + buf.readInt32BE(15);
      if (buf.length < end) {
        this.#keep(buf, 0);
        return;
      }
      this.#headerDone = true;
      pos = end;
    }
    const fields = this.#fields;
    const length = buf.length;
    while (pos < length || this.#field === fields) {
      if (this.#partSize > 0) return; // still gathering a big field: the whole chunk went to it
      if (this.#field < 0) {
        if (this.#trailerSeen) throw new Error("COPY sent data after its trailer");
        if (pos + 2 > length) {
          this.#keep(buf, pos);
          return;
        }
        const count = buf.readInt16BE(pos);
        pos += 2;
        if (count === -1) {
          this.#trailerSeen = true;
          continue;
        }
        if (count !== fields) throw new Error(`COPY row has ${count} fields, expected ${fields}`);
        this.#field = 0;
      }
      while (this.#field < fields) {
        const i = this.#field;
        if (pos + 4 > length) {
          this.#keep(buf, pos);
          return;
        }
        const size = buf.readInt32BE(pos);
        pos += 4;
        if (size < 0) {
          this.#starts[i] = -1;
          this.#ends[i] = -1;
          this.#field++;
          continue;
        }
        if (pos + size > length) {
          // The value goes on in the next chunks: gather it, then join it once.
          this.#parts = [buf.subarray(pos)];
          this.#partBytes = length - pos;
          this.#partSize = size;
          return;
        }
        this.#bufs[i] = buf;
        this.#starts[i] = pos;
        this.#ends[i] = pos + size;
        pos += size;
        this.#field++;
      }
      this.#field = -1;
      this.rows++;
      sink(this.#bufs, this.#starts, this.#ends);
    }
  }

  /** Call when the stream ended: a row cut off or a missing trailer means the COPY broke off. */
  end(): void {
    if (this.#field >= 0 || this.#carry !== undefined || this.#partSize > 0 || !this.#trailerSeen) {
      throw new Error("COPY output ended in the middle of a row");
    }
  }

  // Adds bytes of `buf` from `pos` to the field being gathered; returns where they end.
  #gather(buf: Buffer, pos: number): number {
    const want = this.#partSize - this.#partBytes;
    const take = Math.min(want, buf.length - pos);
    this.#parts.push(buf.subarray(pos, pos + take));
    this.#partBytes += take;
    if (this.#partBytes < this.#partSize) return buf.length;
    const value = Buffer.concat(this.#parts, this.#partSize);
    const i = this.#field;
    this.#bufs[i] = value;
    this.#starts[i] = 0;
    this.#ends[i] = value.length;
    this.#field++;
    this.#parts = [];
    this.#partBytes = 0;
    this.#partSize = 0;
    return pos + take;
  }

  // A header cut by the chunk's end: its bytes wait for the next chunk.
  #keep(buf: Buffer, from: number): void {
    this.#carry = Buffer.from(buf.subarray(from));
  }
}
