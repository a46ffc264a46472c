import { qualifiedName } from "@weir/postgres-connection";
import type pg from "pg";
import type { CatalogSequence } from "./catalog-types.js";

/** Where a sequence stands: `setval(seq, lastValue, isCalled)` puts a copy in the same place. */
export interface SequenceValue {
  readonly lastValue: string;
  readonly isCalled: boolean;
}

const BATCH = 200;

/**
 * Reads the current value of every sequence (sequences are not transactional: this is their
 * value now, which is at or past what the snapshot's rows used).
 * Example: `const values = await readSequenceValues(client, catalog.sequences)`.
 */
export async function readSequenceValues(
  client: pg.Client,
  sequences: readonly CatalogSequence[],
): Promise<Map<number, SequenceValue>> {
  const values = new Map<number, SequenceValue>();
  for (let i = 0; i < sequences.length; i += BATCH) {
    const batch = sequences.slice(i, i + BATCH);
    const sql = batch
      .map(
        (s) =>
          `SELECT ${s.oid}::int8 AS oid, last_value::text AS last_value, is_called FROM ${qualifiedName(s.schema, s.name)}`,
      )
      .join(" UNION ALL ");
    const result = await client.query<{ oid: string; last_value: string; is_called: boolean }>(sql);
    for (const row of result.rows) {
      values.set(Number(row.oid), { lastValue: row.last_value, isCalled: row.is_called });
    }
  }
  return values;
}
