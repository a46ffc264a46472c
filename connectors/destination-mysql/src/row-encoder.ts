import { randomUUID } from "node:crypto";
import { quoteString } from "@weir/mysql-connection";
import type { AirbyteRecordMessage } from "@weir/protocol";
import { CHANGE_REASONS, type Nulled, type ValueEncoder } from "./value-encoders.js";

/**
 * How rows travel: `load_data` as tab-separated lines for LOAD DATA LOCAL INFILE (the fast way),
 * `insert` as `(…)` tuples of a multi-row INSERT (when the server has local_infile off).
 */
export type LoadFormat = "load_data" | "insert";

/** A data column as the encoder fills it. */
export interface EncodedColumn {
  /** The record field; undefined for the whole record (`_airbyte_data` of a schemaless stream). */
  readonly field: string | undefined;
  readonly encoder: ValueEncoder;
  readonly base64: boolean;
}

const TSV_SPECIAL = /[\t\n\r\\\0]/;
const TSV_ESCAPES: Record<string, string> = {
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
  "\\": "\\\\",
  "\0": "\\0",
};
const tsv = (text: string) =>
  TSV_SPECIAL.test(text) ? text.replace(/[\t\n\r\\\0]/g, (ch) => TSV_ESCAPES[ch] as string) : text;

/** `2024-01-02 03:04:05.678` in UTC, for a TIMESTAMP(6) in a UTC session. */
function utcText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/**
 * Encodes records into rows of the load format: raw id, extraction time, generation id, the data
 * columns, the `_airbyte_meta` (with a change for every value it had to null), and the arrival
 * order when asked. Example: `new RowEncoder(columns, "load_data", { syncId: 7, generationId: 1, withSeq: false })`.
 */
export class RowEncoder {
  readonly #columns: readonly EncodedColumn[];
  readonly #format: LoadFormat;
  readonly #metaHead: string;
  readonly #emptyMeta: string;
  readonly #withSeq: boolean;
  readonly #generation: string;
  readonly #ownOnly: readonly boolean[];
  #seq = 0;
  #lastEmittedAt = Number.NaN;
  #lastExtracted = "";

  constructor(
    columns: readonly EncodedColumn[],
    format: LoadFormat,
    options: {
      readonly syncId: number | null;
      readonly generationId: number | null;
      readonly withSeq: boolean;
    },
  ) {
    this.#columns = columns;
    this.#format = format;
    this.#metaHead = `{"sync_id":${options.syncId ?? "null"},"changes":[`;
    this.#emptyMeta = `${this.#metaHead}]}`;
    this.#withSeq = options.withSeq;
    this.#generation = options.generationId === null ? "" : String(options.generationId);
    // Names like `constructor` would be found on Object.prototype by a plain lookup.
    this.#ownOnly = columns.map((c) => c.field !== undefined && c.field in Object.prototype);
  }

  encode(record: AirbyteRecordMessage): string {
    const insert = this.#format === "insert";
    const sep = insert ? "," : "\t";
    const nullText = insert ? "NULL" : "\\N";
    if (record.emitted_at !== this.#lastEmittedAt) {
      this.#lastEmittedAt = record.emitted_at;
      this.#lastExtracted = utcText(record.emitted_at);
    }
    const generation = this.#generation === "" ? nullText : this.#generation;
    let row = insert
      ? `('${randomUUID()}','${this.#lastExtracted}',${generation}`
      : `${randomUUID()}\t${this.#lastExtracted}\t${generation}`;
    let changes = sourceChanges(record);
    const data = record.data;
    const columns = this.#columns;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as EncodedColumn;
      const field = column.field;
      const value =
        field === undefined
          ? data
          : this.#ownOnly[i] && !Object.hasOwn(data, field)
            ? undefined
            : data[field];
      if (value === undefined || value === null) {
        row += sep + nullText;
        continue;
      }
      const encoded = column.encoder(value);
      if (typeof encoded === "number") {
        row += sep + nullText;
        const change = changeJson(field ?? "_airbyte_data", encoded);
        changes = changes === undefined ? change : `${changes},${change}`;
        continue;
      }
      if (insert) row += sep + (column.base64 ? `FROM_BASE64('${encoded}')` : quoteString(encoded));
      else row += sep + (column.base64 ? encoded : tsv(encoded));
    }
    const meta = changes === undefined ? this.#emptyMeta : `${this.#metaHead}${changes}]}`;
    row += sep + (insert ? quoteString(meta) : tsv(meta));
    if (this.#withSeq) row += sep + String(this.#seq++);
    return insert ? `${row})` : `${row}\n`;
  }
}

function changeJson(field: string, reason: Nulled): string {
  return JSON.stringify({ field, change: "NULLED", reason: CHANGE_REASONS[reason] });
}

function sourceChanges(record: AirbyteRecordMessage): string | undefined {
  const changes = record.meta?.changes;
  if (changes === undefined || changes === null || changes.length === 0) return undefined;
  return changes.map((change) => JSON.stringify(change)).join(",");
}
