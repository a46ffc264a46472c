const CHUNK_BYTES = 256 * 1024;

/**
 * Collects UTF-8 text in fixed-size Buffers. Rows go here as they are encoded rather than into
 * an array of strings: a string that waits for its load lives long enough to be copied by every
 * young-generation GC, while a Buffer's bytes are outside the JavaScript heap.
 * Example: `sink.write("1\ta\n"); const chunks = sink.take()`.
 */
export class ByteSink {
  #chunks: Buffer[] = [];
  #current: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #offset = 0;
  #bytes = 0;

  /** Bytes written since the last `take`. */
  get bytes(): number {
    return this.#bytes;
  }

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const room = text.length * 3;
    if (this.#offset + room > this.#current.length) this.#roll(room);
    const written = this.#current.write(text, this.#offset);
    this.#offset += written;
    this.#bytes += written;
  }

  /** Everything written since the last `take`, as Buffers, in order. */
  take(): Buffer[] {
    if (this.#offset > 0) this.#chunks.push(this.#current.subarray(0, this.#offset));
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#current = Buffer.allocUnsafe(CHUNK_BYTES);
    this.#offset = 0;
    this.#bytes = 0;
    return chunks;
  }

  #roll(room: number): void {
    if (this.#offset > 0) this.#chunks.push(this.#current.subarray(0, this.#offset));
    this.#current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room));
    this.#offset = 0;
  }
}
