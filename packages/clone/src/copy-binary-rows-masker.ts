import type { AirbyteRecordMessage } from "@weir/protocol";
import { decodeBinaryValue, encodeBinaryValue } from "./binary-column-values.js";
import type { CatalogColumn } from "./catalog-types.js";
import { MaskingError } from "./copy-text-rows-masker.js";
import type { MaskedColumn, TableMasking } from "./table-masking.js";

/**
 * The end of the last whole row of a binary COPY stream's tuples in `data[0, length)` (rows are
 * a 16-bit field count, then per field a 32-bit length, -1 for NULL, and its bytes); whether
 * the end-of-data marker (a field count of -1) follows it; and how many bytes from the start
 * must be there before the next row can be whole (known early for a long field).
 * Example: `binaryRowsEnd(buf, buf.length) // { end: 1200, trailer: false, need: 1262 }`.
 */
export function binaryRowsEnd(data: Buffer, length: number): { end: number; trailer: boolean; need: number } {
  let at = 0;
  while (true) {
    if (at + 2 > length) return { end: at, trailer: false, need: at + 2 };
    const fields = data.readInt16BE(at);
    if (fields < 0) return { end: at, trailer: true, need: at + 2 };
    let next = at + 2;
    for (let f = 0; f < fields; f++) {
      if (next + 4 > length) return { end: at, trailer: false, need: next + 4 };
      const size = data.readInt32BE(next);
      next += 4 + Math.max(size, 0);
      if (next > length) return { end: at, trailer: false, need: next };
    }
    at = next;
  }
}

/**
 * Rewrites the masked columns of whole binary COPY rows (no header, no trailer) and keeps every
 * other byte as it came; the binary twin of CopyTextRowsMasker, for tables whose every column
 * has a binary form the same in both databases.
 * Example: `await new CopyBinaryRowsMasker(masking, columns, "public.users").mask(rows, rows.length)`.
 */
export class CopyBinaryRowsMasker {
  readonly #stream: string;
  readonly #last: number;
  readonly #types: readonly Pick<CatalogColumn, "baseType" | "category">[];
  #starts = new Int32Array(0);
  #ends = new Int32Array(0);

  constructor(
    private readonly masking: TableMasking,
    columns: readonly CatalogColumn[],
    private readonly table: string,
  ) {
    this.#stream = table;
    this.#last = Math.max(...masking.columns.map((c) => c.index));
    this.#types = masking.columns.map((c) => columns[c.index] as CatalogColumn);
  }

  ready() {
    return this.masking.mappers.ready();
  }

  close(): Promise<void> {
    return this.masking.mappers.close();
  }

  /** Masks the whole rows in `data[0, length)`. */
  async mask(data: Buffer, length: number): Promise<Buffer> {
    const columns = this.masking.columns;
    const width = columns.length;
    const records: AirbyteRecordMessage[] = [];
    let at = 0;
    while (at < length) {
      const row = records.length;
      if (this.#starts.length < (row + 1) * width) this.#grow((row + 1) * width * 2);
      const fields = data.readInt16BE(at);
      if (fields <= this.#last) {
        throw new MaskingError(
          `table ${this.table}: a row of the source's COPY output has ${fields} columns`,
          "system_error",
        );
      }
      at += 2;
      const values: Record<string, unknown> = {};
      let next = 0;
      for (let f = 0; f < fields; f++) {
        const size = data.readInt32BE(at);
        at += 4;
        const wanted = columns[next];
        if (wanted !== undefined && wanted.index === f) {
          // Bounds include the length word, so that a changed field is rewritten whole.
          this.#starts[row * width + next] = at - 4;
          this.#ends[row * width + next] = at + Math.max(size, 0);
          values[wanted.name] =
            size < 0 ? null : decodeBinaryValue(this.#types[next] as CatalogColumn, data, at, at + size);
          next++;
        }
        if (size > 0) at += size;
      }
      records.push({ stream: this.#stream, data: values, emitted_at: 0 });
    }
    const pending = this.masking.mappers.mapBatch(records);
    const result = pending instanceof Promise ? await pending : pending;
    if (!result.ok) throw new MaskingError(result.failure.message, result.failure.type);
    if (result.value.records.length !== records.length) {
      throw new MaskingError(
        `table ${this.table}: the mappers removed rows; a clone keeps every row`,
        "config_error",
      );
    }
    return this.#write(data, length, records, result.value.records);
  }

  #grow(size: number): void {
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.#starts);
    ends.set(this.#ends);
    this.#starts = starts;
    this.#ends = ends;
  }

  /** The rows with the changed fields written in: unchanged bytes are copied in runs that span rows. */
  #write(
    data: Buffer,
    length: number,
    records: readonly AirbyteRecordMessage[],
    mapped: readonly AirbyteRecordMessage[],
  ): Buffer {
    const columns = this.masking.columns;
    const width = columns.length;
    const starts = this.#starts;
    const ends = this.#ends;
    let out = Buffer.allocUnsafe(Math.max(1024, Math.ceil(length * 1.25)));
    let at = 0;
    let copied = 0;
    for (let row = 0; row < records.length; row++) {
      const before = (records[row] as AirbyteRecordMessage).data;
      const after = (mapped[row] as AirbyteRecordMessage).data;
      for (let k = 0; k < width; k++) {
        const column = columns[k] as MaskedColumn;
        const value = after[column.name];
        if (value === before[column.name]) continue;
        const bytes = this.#field(column, k, value);
        const start = starts[row * width + k] as number;
        const needed = at + (start - copied) + 4 + (bytes?.length ?? 0);
        if (needed > out.length) {
          const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, needed + (length - start)));
          out.copy(bigger, 0, 0, at);
          out = bigger;
        }
        at += data.copy(out, at, copied, start);
        out.writeInt32BE(bytes === null ? -1 : bytes.length, at);
        at += 4;
        if (bytes !== null) at += bytes.copy(out, at);
        copied = ends[row * width + k] as number;
      }
    }
    if (at + (length - copied) > out.length) {
      const bigger = Buffer.allocUnsafe(at + (length - copied));
      out.copy(bigger, 0, 0, at);
      out = bigger;
    }
    at += data.copy(out, at, copied, length);
    return out.subarray(0, at);
  }

  /** A field's bytes, or null for NULL. */
  #field(column: MaskedColumn, k: number, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    const type = this.#types[k] as CatalogColumn;
    const bytes = encodeBinaryValue(type, value);
    if (bytes === undefined) {
      throw new MaskingError(
        `table ${this.table}: column ${column.name} (${type.baseType}) cannot hold what its mappers made of a value`,
        "config_error",
      );
    }
    return bytes;
  }
}
