import type { RecordData } from "@weir/cdk";
import type { ValueKind } from "./column-types.js";
import {
  isTimeOfDay,
  isZeroDate,
  localDateTime,
  type NulledReason,
  utcDateTime,
} from "./value-conversions.js";

/** A selected column that goes into records: its field name and how its value is converted. */
export interface EmittedColumn {
  readonly field: string;
  readonly kind: ValueKind;
}

const bytesAsText = (value: unknown): string =>
  Buffer.isBuffer(value) ? value.toString("base64") : String(value);

/**
 * Turns mysql2 rows (arrays, in select order) into record objects, and counts the values it had
 * to null. The first `columns.length` values of a row are the emitted columns; anything after
 * them (hidden key columns) is left out of the record.
 * Example: `new RowConverter([{ field: "id", kind: "asis" }]).convert([[1]]) // [{ id: 1 }]`
 */
export class RowConverter {
  /** Nulled values per field and reason, e.g. `created_at` → `zero_date` → 3. */
  readonly nulled = new Map<string, Map<NulledReason, number>>();
  readonly #fields: readonly string[];
  readonly #kinds: readonly ValueKind[];
  // `__proto__` assigned as a property would set the prototype instead.
  readonly #protoIndex: number;

  constructor(columns: readonly EmittedColumn[]) {
    this.#fields = columns.map((c) => c.field);
    this.#kinds = columns.map((c) => c.kind);
    this.#protoIndex = this.#fields.indexOf("__proto__");
  }

  convert(rows: readonly unknown[][]): RecordData[] {
    const fields = this.#fields;
    const kinds = this.#kinds;
    const count = fields.length;
    const out: RecordData[] = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as unknown[];
      const record: RecordData = {};
      for (let i = 0; i < count; i++) {
        let value = row[i];
        const kind = kinds[i];
        if (value !== null && kind !== "asis") value = this.#convert(value, kind as ValueKind, i);
        if (i === this.#protoIndex) {
          Object.defineProperty(record, "__proto__", {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else record[fields[i] as string] = value;
      }
      out[r] = record;
    }
    return out;
  }

  #convert(value: unknown, kind: ValueKind, index: number): unknown {
    switch (kind) {
      case "integer_text":
        return String(value);
      case "boolean_int":
        return value !== 0;
      case "boolean_bit":
        return Buffer.isBuffer(value) ? value.some((b) => b !== 0) : Boolean(value);
      case "binary":
        return bytesAsText(value);
      case "date": {
        const text = String(value);
        return isZeroDate(text) ? this.#nulled(index, "zero_date") : text;
      }
      case "datetime": {
        const text = String(value);
        return isZeroDate(text) ? this.#nulled(index, "zero_date") : localDateTime(text);
      }
      case "timestamp": {
        const text = String(value);
        return isZeroDate(text) ? this.#nulled(index, "zero_date") : utcDateTime(text);
      }
      case "time": {
        const text = String(value);
        return isTimeOfDay(text) ? text : this.#nulled(index, "time_out_of_range");
      }
      default:
        return bytesAsText(value);
    }
  }

  #nulled(index: number, reason: NulledReason): null {
    const field = this.#fields[index] as string;
    let reasons = this.nulled.get(field);
    if (reasons === undefined) {
      reasons = new Map();
      this.nulled.set(field, reasons);
    }
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    return null;
  }
}
