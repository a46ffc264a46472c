import type { AirbyteRecordMessage } from "@weir/protocol";
import { decodeColumnValue, encodeColumnValue } from "./column-values.js";
import { COPY_NULL, decodeCopyField, escapeCopyText, isNullField } from "./copy-text-codec.js";
import type { MaskedColumn, TableMasking } from "./table-masking.js";

const NEWLINE = 0x0a;
const TAB = 0x09;

/** A failure of the mappers on the data (not a bug): the clone stops with this message. */
export class MaskingError extends Error {
  constructor(
    message: string,
    readonly failureType: "config_error" | "system_error",
  ) {
    super(message);
  }
}

/**
 * Rewrites the masked columns of complete COPY text rows and keeps every other byte as it
 * came: only the columns the mappers use are decoded, handed to the mappers as one record per
 * row (one batch per call), and written back when a mapper changed them.
 * Example: `const out = await new CopyTextRowsMasker(masking, 8, "public.users").mask(rows, rows.length)`.
 */
export class CopyTextRowsMasker {
  readonly #stream: string;
  readonly #last: number;
  readonly #count: number;
  // Field bounds of the decoded columns of each row of the current batch.
  #starts = new Int32Array(0);
  #ends = new Int32Array(0);

  constructor(
    private readonly masking: TableMasking,
    columnCount: number,
    private readonly table: string,
  ) {
    this.#stream = table;
    this.#count = columnCount;
    this.#last = Math.max(...masking.columns.map((c) => c.index));
  }

  /** Starts what the mappers need (a javascript mapper's worker); a module that cannot load is a config error. */
  ready() {
    return this.masking.mappers.ready();
  }

  close(): Promise<void> {
    return this.masking.mappers.close();
  }

  /** Masks the rows in `data[0, length)`, which ends with a row's newline. */
  async mask(data: Buffer, length: number): Promise<Buffer> {
    const columns = this.masking.columns;
    const width = columns.length;
    const last = this.#last;
    const lastColumn = this.#count - 1;
    const records: AirbyteRecordMessage[] = [];
    let lineStart = 0;
    while (lineStart < length) {
      const row = records.length;
      if (this.#starts.length < (row + 1) * width) this.#grow((row + 1) * width * 2);
      const starts = this.#starts;
      const ends = this.#ends;
      const lineEnd = data.indexOf(NEWLINE, lineStart);
      const values: Record<string, unknown> = {};
      let fieldStart = lineStart;
      let next = 0;
      let wanted = columns[0] as MaskedColumn;
      for (let column = 0; column <= last; column++) {
        let fieldEnd = lineEnd;
        if (column < lastColumn) {
          fieldEnd = data.indexOf(TAB, fieldStart);
          if (fieldEnd < 0 || fieldEnd > lineEnd) throw this.#shortRow(column);
        }
        if (wanted.index === column) {
          starts[row * width + next] = fieldStart;
          ends[row * width + next] = fieldEnd;
          values[wanted.name] = isNullField(data, fieldStart, fieldEnd)
            ? null
            : decodeColumnValue(wanted.kind, decodeCopyField(data, fieldStart, fieldEnd));
          next++;
          if (next < width) wanted = columns[next] as MaskedColumn;
        }
        fieldStart = fieldEnd + 1;
      }
      records.push({ stream: this.#stream, data: values, emitted_at: 0 });
      lineStart = lineEnd + 1;
    }
    const pending = this.masking.mappers.mapBatch(records);
    const result = pending instanceof Promise ? await pending : pending;
    if (!result.ok) throw new MaskingError(result.failure.message, result.failure.type);
    const mapped = result.value.records;
    if (mapped.length !== records.length) {
      throw new MaskingError(
        `table ${this.table}: the mappers removed rows; a clone keeps every row`,
        "config_error",
      );
    }
    return this.#write(data, length, records, mapped);
  }

  #grow(size: number): void {
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.#starts);
    ends.set(this.#ends);
    this.#starts = starts;
    this.#ends = ends;
  }

  /** The chunk with the changed values written in: unchanged bytes are copied in runs that span rows. */
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
        const encoded = encodeColumnValue(column.kind, value);
        const text = encoded === null ? COPY_NULL : escapeCopyText(encoded);
        const start = starts[row * width + k] as number;
        // Room for the bytes up to the field and the text at three bytes a character at most.
        const needed = at + (start - copied) + text.length * 3;
        if (needed > out.length) {
          const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, needed + (length - start)));
          out.copy(bigger, 0, 0, at);
          out = bigger;
        }
        at += data.copy(out, at, copied, start);
        at += out.write(text, at);
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

  #shortRow(column: number): MaskingError {
    return new MaskingError(
      `table ${this.table}: a row of the source's COPY output has ${column + 1} columns, expected ${this.#count}`,
      "system_error",
    );
  }
}
