import { quoteIdentifier as q, quoteLiteral } from "./sql-identifiers.js";
import { MERGE_HELPER_COLUMNS } from "./stream-columns.js";
import { CHANGE_REASONS, type ColumnEncoder, NULLED_SERIALIZATION, NULLED_SIZE } from "./value-encoder.js";

/** The change reasons by append outcome, in outcome order (1, 2). */
export const CHANGE_REASONS_BY_OUTCOME = [
  CHANGE_REASONS[NULLED_SERIALIZATION],
  CHANGE_REASONS[NULLED_SIZE],
] as const;

/** A data column as the SQL builders see it. */
export interface SqlColumn {
  /** The field named in `_airbyte_meta.changes` when a value is nulled. */
  readonly field: string;
  /** The column's name in the target table. */
  readonly column: string;
  readonly encoder: ColumnEncoder;
}

/** A column reference that can be prefixed by a table alias; nested paths read into JSON. */
export type ColumnRef = (alias?: string) => string;

/** A reference to `column`, reading the `nested` path out of it as JSON. Example: `columnRef("id", [])`. */
export function columnRef(column: string, nested: readonly string[]): ColumnRef {
  return (alias) => {
    const base = alias === undefined ? q(column) : `${alias}.${q(column)}`;
    if (nested.length === 0) return base;
    const path = `$${nested.map((key) => `.${JSON.stringify(key)}`).join("")}`;
    return `json_extract(CAST(${base} AS JSON), ${quoteLiteral(path)})`;
  };
}

const [SRC, SEQ] = MERGE_HELPER_COLUMNS;
const STAGE_EMITTED = "_e";
const STAGE_CHANGES = "_c";

/** The staging table's columns: `r<i>` per data column, then emitted_at, arrival order, changes. */
export function createStageSql(stage: string, columns: readonly SqlColumn[]): string {
  const data = columns.map((c, i) => `"r${i}" ${c.encoder.stageType}`);
  const all = [...data, `"${STAGE_EMITTED}" DOUBLE`, `${q(SEQ)} DOUBLE`, `"${STAGE_CHANGES}" VARCHAR`];
  return `CREATE OR REPLACE TEMP TABLE ${q(stage)} (${all.join(", ")})`;
}

/**
 * Turns staged rows into the table's typed rows: TRY_CAST where the staged type differs, a
 * `_airbyte_meta` with the changes found while appending plus one per failed cast. `stageRef` is
 * the staging table as SQL, e.g. `temp.main."_weir_stage_0"`.
 */
export function typedSelectSql(
  stageRef: string,
  columns: readonly SqlColumn[],
  meta: { readonly syncId: number | null; readonly generationId: number | null },
  keepSeq: boolean,
): string {
  const casts: string[] = [];
  const outputs: string[] = [];
  const failures: string[] = [];
  columns.forEach((c, i) => {
    const castTo = c.encoder.castTo;
    if (castTo === undefined) {
      outputs.push(`"r${i}" AS ${q(c.column)}`);
      return;
    }
    casts.push(`TRY_CAST("r${i}" AS ${castTo}) AS "v${i}"`);
    outputs.push(`"v${i}" AS ${q(c.column)}`);
    const change = changeJson(c.field, CHANGE_REASONS[c.encoder.castFailure]);
    failures.push(`CASE WHEN "r${i}" IS NOT NULL AND "v${i}" IS NULL THEN ${quoteLiteral(change)} END`);
  });
  const metaHead = quoteLiteral(`{"sync_id":${meta.syncId ?? "null"},"changes":[`);
  const changes = `concat_ws(',', "${STAGE_CHANGES}"${failures.map((f) => `, ${f}`).join("")})`;
  const select = [
    "uuid()::VARCHAR AS _airbyte_raw_id",
    `make_timestamptz(CAST("${STAGE_EMITTED}" * 1000 AS BIGINT)) AS _airbyte_extracted_at`,
    `CAST(${metaHead} || ${changes} || ']}' AS JSON) AS _airbyte_meta`,
    `CAST(${meta.generationId ?? "NULL"} AS BIGINT) AS _airbyte_generation_id`,
    ...outputs,
    ...(keepSeq ? [`CAST(${q(SEQ)} AS BIGINT) AS ${q(SEQ)}`] : []),
  ];
  const source = casts.length === 0 ? stageRef : `(SELECT *, ${casts.join(", ")} FROM ${stageRef})`;
  return `SELECT ${select.join(", ")} FROM ${source}`;
}

/** One `_airbyte_meta.changes` entry as JSON text. */
export function changeJson(field: string, reason: string): string {
  return JSON.stringify({ field, change: "NULLED", reason });
}

/** Inserts a query's rows into `target` (a qualified name), matching columns by name. */
export function insertSql(target: string, select: string): string {
  return `INSERT INTO ${target} BY NAME ${select}`;
}

/** An empty table shaped like `target` plus the arrival order, for rows waiting for a dedup merge. */
export function createPendingSql(pending: string, target: string): string {
  return `CREATE OR REPLACE TABLE ${pending} AS SELECT *, CAST(NULL AS BIGINT) AS ${q(SEQ)} FROM ${target} LIMIT 0`;
}

/** What a dedup merge needs to know about the stream. */
export interface DedupKeys {
  readonly primaryKey: readonly ColumnRef[];
  readonly cursor: ColumnRef | undefined;
  /** The CDC delete marker column, when the table has one: a latest row with it set deletes the key. */
  readonly cdcDeletedAt: string | undefined;
}

/**
 * The statements that merge the typed rows of `source` into `target` and empty `source`, keeping
 * one row per primary key: the latest by cursor (a null cursor is older than any), then by
 * extraction time, then by arrival. Rows already in the table for the source's keys compete with
 * the new ones, so the result does not depend on how rows were split across merges and syncs.
 * Run them in one transaction.
 */
export function dedupMergeSql(target: string, source: string, keys: DedupKeys): string[] {
  const winners = q("_weir_winners");
  const sameKey = keys.primaryKey.map((ref) => `${ref("t")} IS NOT DISTINCT FROM ${ref("s")}`).join(" AND ");
  const touched = `EXISTS (SELECT 1 FROM ${source} s WHERE ${sameKey})`;
  const order = [
    ...(keys.cursor !== undefined ? [`${keys.cursor()} DESC NULLS LAST`] : []),
    "_airbyte_extracted_at DESC NULLS LAST",
    `${q(SRC)} DESC`,
    `${q(SEQ)} DESC`,
  ].join(", ");
  const partition = keys.primaryKey.map((ref) => ref()).join(", ");
  const keep = keys.cdcDeletedAt === undefined ? "" : ` WHERE ${q(keys.cdcDeletedAt)} IS NULL`;
  return [
    `CREATE OR REPLACE TEMP TABLE ${winners} AS SELECT * EXCLUDE (${q(SRC)}, ${q(SEQ)}) FROM (` +
      `SELECT t.*, 0 AS ${q(SRC)}, CAST(0 AS BIGINT) AS ${q(SEQ)} FROM ${target} t WHERE ${touched} ` +
      `UNION ALL BY NAME SELECT *, 1 AS ${q(SRC)} FROM ${source}` +
      `) QUALIFY row_number() OVER (PARTITION BY ${partition} ORDER BY ${order}) = 1`,
    `DELETE FROM ${target} t WHERE ${touched}`,
    `INSERT INTO ${target} BY NAME SELECT * FROM ${winners}${keep}`,
    `DELETE FROM ${source}`,
    `DROP TABLE ${winners}`,
  ];
}
