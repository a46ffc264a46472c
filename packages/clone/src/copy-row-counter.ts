// Counts the rows of a COPY stream as its chunks go by, without keeping them: in text format a
// row ends at each newline byte; in binary format rows are walked by their field lengths
// (a 19-byte header, then per row a 16-bit field count and per field a 32-bit length, -1 for
// NULL, followed by that many bytes; a field count of -1 ends the data).

const NEWLINE = 0x0a;
const HEADER_BYTES = 19;

/** Counts rows in chunks of one COPY stream. Example: `const c = rowCounter("text"); c(chunk) // rows in it`. */
export function rowCounter(format: "text" | "binary"): (chunk: Buffer) => number {
  if (format === "text") {
    return (chunk) => {
      let rows = 0;
      for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) rows++;
      return rows;
    };
  }
  return new BinaryRowCounter().count;
}

/** The binary walk, resumable at any byte: what is left to skip and what number comes next. */
class BinaryRowCounter {
  #skip = HEADER_BYTES;
  /** Bytes of a count or a length cut by a chunk boundary. */
  readonly #pending = Buffer.alloc(4);
  #pendingBytes = 0;
  /** -1: a field count comes next; otherwise the fields of the row still to walk. */
  #fieldsLeft = -1;
  #ended = false;

  readonly count = (chunk: Buffer): number => {
    let rows = 0;
    let at = 0;
    const end = chunk.length;
    while (at < end && !this.#ended) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, end - at);
        this.#skip -= n;
        at += n;
        continue;
      }
      // The common case, in one tight loop: every number whole in this chunk.
      if (this.#pendingBytes === 0) {
        let fieldsLeft = this.#fieldsLeft;
        while (true) {
          if (fieldsLeft < 0) {
            if (at + 2 > end) break;
            const fields = ((chunk[at] as number) << 8) | (chunk[at + 1] as number);
            at += 2;
            if (fields === 0xffff) {
              this.#ended = true;
              break;
            }
            rows++;
            fieldsLeft = fields;
            if (fieldsLeft === 0) fieldsLeft = -1;
          } else {
            if (at + 4 > end) break;
            const length =
              ((chunk[at] as number) << 24) |
              ((chunk[at + 1] as number) << 16) |
              ((chunk[at + 2] as number) << 8) |
              (chunk[at + 3] as number);
            at += 4;
            fieldsLeft--;
            if (fieldsLeft === 0) fieldsLeft = -1;
            if (length > 0) {
              if (at + length > end) {
                this.#skip = at + length - end;
                at = end;
                break;
              }
              at += length;
            }
          }
        }
        this.#fieldsLeft = fieldsLeft;
        if (this.#ended || at >= end || this.#skip > 0) continue;
      }
      // A number cut by the chunk boundary: gather its bytes.
      const size = this.#fieldsLeft < 0 ? 2 : 4;
      const n = Math.min(size - this.#pendingBytes, end - at);
      chunk.copy(this.#pending, this.#pendingBytes, at, at + n);
      this.#pendingBytes += n;
      at += n;
      if (this.#pendingBytes < size) break;
      this.#pendingBytes = 0;
      if (size === 2) {
        const fields = this.#pending.readInt16BE(0);
        if (fields < 0) {
          this.#ended = true;
          break;
        }
        rows++;
        this.#fieldsLeft = fields === 0 ? -1 : fields;
      } else {
        const length = this.#pending.readInt32BE(0);
        this.#fieldsLeft = this.#fieldsLeft === 1 ? -1 : this.#fieldsLeft - 1;
        if (length > 0) this.#skip = length;
      }
    }
    return rows;
  };
}
