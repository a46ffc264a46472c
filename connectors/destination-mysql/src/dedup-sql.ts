import { quoteIdentifier as q } from "@weir/mysql-connection";
import { META_COLUMNS, type PlannedColumn, SEQ_COLUMN } from "./stream-columns.js";

/** What a dedup merge needs to know about the stream's columns. */
export interface DedupKeys {
  readonly primaryKey: readonly string[];
  readonly cursor: string | undefined;
  /** The CDC delete marker column, when the table has one: a latest row with it set deletes the key. */
  readonly cdcDeletedAt: string | undefined;
}

const WINNERS = q("_weir_winners");

/**
 * The statements that merge the staged rows into `target`, keeping one row per primary key: the
 * latest by cursor (a NULL cursor is older than any), then by extraction time, then by arrival.
 * A row already in the table that is newer than every staged row of its key stays. Run the
 * statements from the second on in one transaction; the first makes a temporary table.
 */
export function dedupMergeSql(
  target: string,
  stage: string,
  columns: readonly PlannedColumn[],
  keys: DedupKeys,
): {
  readonly prepare: readonly string[];
  readonly merge: readonly string[];
  readonly cleanup: readonly string[];
} {
  const all = [...META_COLUMNS.map((m) => m.column), ...columns.map((c) => c.column)].map(q);
  const partition = keys.primaryKey.map(q).join(", ");
  const order = [
    ...(keys.cursor === undefined ? [] : [`${q(keys.cursor)} DESC`]),
    `${q("_airbyte_extracted_at")} DESC`,
    `${q(SEQ_COLUMN)} DESC`,
  ].join(", ");
  const sameKey = keys.primaryKey.map((k) => `t.${q(k)} <=> w.${q(k)}`).join(" AND ");
  const cursor = keys.cursor === undefined ? undefined : q(keys.cursor);
  const newerInTable =
    cursor === undefined
      ? `t.${q("_airbyte_extracted_at")} > w.${q("_airbyte_extracted_at")}`
      : `(t.${cursor} > w.${cursor} OR (w.${cursor} IS NULL AND t.${cursor} IS NOT NULL) OR ` +
        `(t.${cursor} <=> w.${cursor} AND t.${q("_airbyte_extracted_at")} > w.${q("_airbyte_extracted_at")}))`;
  const keep = keys.cdcDeletedAt === undefined ? "" : ` WHERE ${q(keys.cdcDeletedAt)} IS NULL`;
  return {
    prepare: [
      `DROP TEMPORARY TABLE IF EXISTS ${WINNERS}`,
      `CREATE TEMPORARY TABLE ${WINNERS} ENGINE=InnoDB AS SELECT ${all.join(", ")} FROM (` +
        `SELECT s.*, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${order}) AS ${q("_weir_rn")} FROM ${stage} s` +
        `) ranked WHERE ${q("_weir_rn")} = 1`,
    ],
    merge: [
      `DELETE w FROM ${WINNERS} w JOIN ${target} t ON ${sameKey} WHERE ${newerInTable}`,
      `DELETE t FROM ${target} t JOIN ${WINNERS} w ON ${sameKey}`,
      `INSERT INTO ${target} (${all.join(", ")}) SELECT ${all.join(", ")} FROM ${WINNERS}${keep}`,
      `DELETE FROM ${stage}`,
    ],
    cleanup: [`DROP TEMPORARY TABLE IF EXISTS ${WINNERS}`],
  };
}
