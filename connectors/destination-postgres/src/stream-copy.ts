import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { classifyQueryError, errorWhere, sqlState } from "@weir/postgres-connection";
import type { AirbyteRecordMessage } from "@weir/protocol";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { byteaField, copyText, LongText, NULLED_SERIALIZATION } from "./copy-values.js";
import type { StreamTable, WriteColumn } from "./stream-table-setup.js";

// COPY input goes out in buffers of this many bytes. A big value is written in slices small
// enough for V8's young generation (a long string per slice would land in large-object space
// and make every slice cost a full garbage collection).
const CHUNK = 256 * 1024;
const BIG_BYTES = 256 * 1024;
const SLICE = 32 * 1024;
// Values Postgres refused and that were nulled before the batch went through; past this the batch fails.
const MAX_REFUSED_VALUES = 100;

/** Rows of one batch whose values Postgres refused: row index → column indexes to write as NULL. */
type Refused = Map<number, Set<number>>;

/**
 * Writes records of one stream into its table (or staging table) with one `COPY … FROM STDIN`
 * in COPY's text format. Values are checked and encoded in JavaScript; one that Postgres still
 * refuses (its error names the line and column) is nulled with a change in `_airbyte_meta` and
 * the batch is copied again from a savepoint, so a bad value never fails a sync.
 */
export class StreamCopy {
  #seq = 0;
  #lastEmittedAt = Number.NaN;
  #lastExtractedAt = "";
  readonly #metaHead: string;
  readonly #noChanges: string;
  readonly #generation: string;

  constructor(
    private readonly client: pg.Client,
    readonly table: StreamTable,
  ) {
    this.#metaHead = `{"sync_id":${table.syncId ?? "null"},"changes":[`;
    this.#noChanges = `${this.#metaHead}]}`;
    this.#generation = table.generationId === null ? "\\N" : String(table.generationId);
  }

  /** Copies `records`; call inside a transaction. */
  async copy(records: readonly AirbyteRecordMessage[]): Promise<void> {
    const refused: Refused = new Map();
    const firstSeq = this.#seq;
    for (let count = 0; ; ) {
      this.#seq = firstSeq;
      await this.client.query("SAVEPOINT weir_copy");
      try {
        const input = Readable.from(this.#pieces(records, refused));
        await pipeline(input, this.client.query(copyFrom(this.table.copySql)));
        await this.client.query("RELEASE SAVEPOINT weir_copy");
        return;
      } catch (error) {
        const located = this.#locate(error);
        if (located === undefined || count >= MAX_REFUSED_VALUES) {
          throw classifyQueryError(error, `Writing stream ${JSON.stringify(this.table.table)} failed`);
        }
        await this.client.query("ROLLBACK TO SAVEPOINT weir_copy");
        const columns = refused.get(located.row) ?? new Set<number>();
        if (columns.has(located.column))
          throw classifyQueryError(error, `Writing ${this.table.table} failed`);
        columns.add(located.column);
        refused.set(located.row, columns);
        count++;
      }
    }
  }

  // A data error's row and column: `COPY t, line 3, column price: "abc"` (lines count from 1).
  #locate(error: unknown): { row: number; column: number } | undefined {
    const state = sqlState(error);
    if (state === undefined || !state.startsWith("22")) return undefined;
    const where = errorWhere(error) ?? "";
    const match = /line (\d+), column (.*)$/s.exec(where);
    if (match === null) return undefined;
    const rest = match[2] as string;
    const column = this.table.columns.findIndex((c) => rest === c.column || rest.startsWith(`${c.column}: `));
    if (column < 0) return undefined;
    return { row: Number(match[1]) - 1, column };
  }

  *#pieces(records: readonly AirbyteRecordMessage[], refused: Refused): Generator<Buffer> {
    const out = new CopyBuffer();
    for (let i = 0; i < records.length; i++) {
      this.#line(out, records[i] as AirbyteRecordMessage, refused.get(i));
      if (out.ready) yield* out.take();
    }
    yield* out.finish();
  }

  /**
   * Writes one row as COPY text: the data columns, then the meta columns (whose `_airbyte_meta`
   * needs the changes found on the way). Big values go in slices, never whole into a string.
   */
  #line(out: CopyBuffer, record: AirbyteRecordMessage, refused: Set<number> | undefined): void {
    const data = record.data as Record<string, unknown>;
    const columns = this.table.columns;
    let changes = sourceChanges(record);
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as WriteColumn;
      const field = column.field;
      const value =
        field === undefined ? data : column.ownOnly && !Object.hasOwn(data, field) ? undefined : data[field];
      if (value === undefined || value === null) {
        out.text("\\N\t");
        continue;
      }
      const encoded = refused?.has(i) === true ? NULLED_SERIALIZATION : column.encode(value);
      if (typeof encoded === "string") out.text(encoded);
      else if (typeof encoded === "object") for (const slice of slices(encoded)) out.text(slice);
      else {
        out.text("\\N");
        const change = column.changes[encoded];
        changes = changes === undefined ? change : `${changes},${change}`;
      }
      out.tab();
    }
    out.text(randomUUID());
    out.tab();
    out.text(this.#extractedAt(record.emitted_at));
    out.tab();
    out.text(changes === undefined ? this.#noChanges : copyText(`${this.#metaHead}${changes}]}`));
    out.tab();
    out.text(this.#generation);
    if (this.table.mergeSql !== undefined) {
      out.tab();
      out.text(String(this.#seq++));
    }
    out.newline();
  }

  #extractedAt(emittedAt: number): string {
    if (emittedAt !== this.#lastEmittedAt) {
      this.#lastEmittedAt = emittedAt;
      const date = new Date(emittedAt);
      this.#lastExtractedAt = Number.isNaN(date.getTime()) ? "\\N" : date.toISOString();
    }
    return this.#lastExtractedAt;
  }
}

/** Node's own Buffer methods, without the argument checks of `write` (present since Node 0.x). */
type FastBuffer = Buffer & { utf8Write(text: string, offset: number): number };

/**
 * COPY input as buffers of about CHUNK bytes, filled in place: no string is built for a row
 * (joined strings would be copied again to become bytes, and leave garbage per field).
 */
class CopyBuffer {
  #chunk = Buffer.allocUnsafe(CHUNK);
  #pos = 0;
  #out: Buffer[] = [];

  /** Whether full chunks wait to be taken. */
  get ready(): boolean {
    return this.#out.length > 0;
  }

  text(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (text.length * 3 > CHUNK - this.#pos) {
      this.#next();
      if (text.length * 3 > CHUNK) {
        this.#out.push(Buffer.from(text, "utf8"));
        return;
      }
    }
    const chunk = this.#chunk;
    let pos = this.#pos;
    // Short ASCII text (most fields) byte by byte: cheaper than a call into the encoder.
    if (text.length <= 32) {
      let i = 0;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 127) break;
        chunk[pos++] = c;
      }
      if (i === text.length) {
        this.#pos = pos;
        return;
      }
      pos = this.#pos;
    }
    this.#pos = pos + (chunk as FastBuffer).utf8Write(text, pos);
  }

  tab(): void {
    this.#byte(9);
  }

  newline(): void {
    this.#byte(10);
  }

  take(): Buffer[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  finish(): Buffer[] {
    this.#next();
    return this.take();
  }

  #byte(byte: number): void {
    if (this.#pos === CHUNK) this.#next();
    this.#chunk[this.#pos++] = byte;
  }

  #next(): void {
    if (this.#pos === 0) return;
    this.#out.push(this.#chunk.subarray(0, this.#pos));
    this.#chunk = Buffer.allocUnsafe(CHUNK);
    this.#pos = 0;
  }
}

// A value as text for COPY: small ones whole, big ones in small slices (bytes as escaped hex,
// text escaped slice by slice), so a 100 MB value is never copied whole into another string.
function* slices(part: Buffer | LongText): Generator<string> {
  if (part instanceof Buffer && part.length < BIG_BYTES) {
    yield byteaField(part);
    return;
  }
  if (part instanceof LongText) {
    const text = part.text;
    for (let at = 0; at < text.length; ) {
      let end = Math.min(at + SLICE, text.length);
      // Never between the two halves of a surrogate pair: each slice is encoded to UTF-8 alone.
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      yield copyText(text.slice(at, end));
      at = end;
    }
    return;
  }
  yield byteaField(part, 0, 0);
  const step = SLICE / 2;
  for (let at = 0; at < part.length; at += step)
    yield part.toString("hex", at, Math.min(at + step, part.length));
}

function sourceChanges(record: AirbyteRecordMessage): string | undefined {
  const changes = record.meta?.changes;
  if (changes === undefined || changes === null || changes.length === 0) return undefined;
  return changes.map((change) => JSON.stringify(change)).join(",");
}
