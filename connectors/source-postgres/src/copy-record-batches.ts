import type { RecordData } from "@weir/cdk";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { ColumnCodec } from "./column-codecs.js";
import { CopyBinaryParser } from "./copy-binary-parser.js";

/** The columns a COPY selects, in order: their record field names and codecs. */
export interface SelectedColumns {
  readonly names: readonly string[];
  readonly codecs: readonly ColumnCodec[];
}

/** Limits of one yielded batch: a batch ends at whichever comes first. */
export interface BatchLimits {
  readonly rows: number;
  readonly bytes: number;
}

/** One batch of decoded records, and the key fields of its last row as text. */
export interface RecordBatch {
  readonly records: RecordData[];
  /** Text of the `keys` fields of the last row (key and cursor values for state), null for NULL. */
  readonly lastKeys: readonly (string | null)[];
}

/** Called per row with its raw fields, before the record is kept (cursor tie counting). */
export type RowObserver = (bufs: readonly Buffer[], starts: Int32Array, ends: Int32Array) => void;

/**
 * Runs `COPY (…) TO STDOUT (FORMAT binary)` and yields its rows decoded into records, in
 * batches bounded by rows and bytes. Memory holds one batch (and the COPY stream's buffer),
 * never the table. Example: `for await (const batch of copyRecordBatches(client, sql, columns, limits)) …`.
 */
export async function* copyRecordBatches(
  client: pg.Client,
  sql: string,
  columns: SelectedColumns,
  limits: BatchLimits,
  keys: readonly number[] = [],
  observe?: RowObserver,
): AsyncGenerator<RecordBatch, number> {
  const names = columns.names;
  const codecs = columns.codecs;
  const count = names.length;
  const parser = new CopyBinaryParser(count);
  let records: RecordData[] = [];
  let bytes = 0;
  // Where the key fields of the last row are; turned into text once per batch.
  const keyBufs: (Buffer | undefined)[] = keys.map(() => undefined);
  const keyStarts = new Int32Array(keys.length);
  const keyEnds = new Int32Array(keys.length);
  const sink = (bufs: readonly Buffer[], starts: Int32Array, ends: Int32Array) => {
    observe?.(bufs, starts, ends);
    const record: RecordData = {};
    for (let i = 0; i < count; i++) {
      const start = starts[i] as number;
      record[names[i] as string] =
        start < 0 ? null : (codecs[i] as ColumnCodec).decode(bufs[i] as Buffer, start, ends[i] as number);
    }
    records.push(record);
    for (let k = 0; k < keys.length; k++) {
      const i = keys[k] as number;
      keyBufs[k] = bufs[i];
      keyStarts[k] = starts[i] as number;
      keyEnds[k] = ends[i] as number;
    }
  };
  const batch = (): RecordBatch => {
    const out = records;
    records = [];
    bytes = 0;
    return {
      records: out,
      lastKeys: keys.map((i, k) => {
        const start = keyStarts[k] as number;
        const buf = keyBufs[k];
        return start < 0 || buf === undefined
          ? null
          : (codecs[i] as ColumnCodec).keyText(buf, start, keyEnds[k] as number);
      }),
    };
  };

  const stream = client.query(copyTo(sql));
  let finished = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.push(chunk, sink);
      bytes += chunk.length;
      if (records.length >= limits.rows || (bytes >= limits.bytes && records.length > 0)) yield batch();
    }
    parser.end();
    finished = true;
  } finally {
    // Stopped early (cancelled, or the consumer failed): the connection is mid-COPY and unusable.
    if (!finished) stream.destroy();
  }
  if (records.length > 0) yield batch();
  return parser.rows;
}
