import { quoteIdentifier as q } from "@weir/mysql-connection";
import { META_COLUMNS, type PlannedColumn, SEQ_COLUMN } from "./stream-columns.js";

/** Per-stream index over the primary key columns, for dedup merges. */
export const KEY_INDEX = "_weir_key";

/** A column of an index: the full column, or its first characters (text and blobs). */
export interface IndexPart {
  readonly column: string;
  readonly prefixChars: number | undefined;
}

// InnoDB indexes hold at most 3072 bytes; utf8mb4 takes up to 4 bytes a character.
const MAX_INDEX_BYTES = 3072;

/** The parts of an index over `columns` that fit InnoDB's limit, shortening text prefixes to fit. */
export function indexParts(columns: readonly PlannedColumn[]): IndexPart[] {
  let fixed = 0;
  let prefixed = 0;
  for (const c of columns) {
    if ("bytes" in c.type.index) fixed += c.type.index.bytes;
    else prefixed++;
  }
  const perPrefix = prefixed === 0 ? 0 : Math.max(1, Math.floor((MAX_INDEX_BYTES - fixed) / 4 / prefixed));
  return columns.map((c) => ({
    column: c.column,
    prefixChars: "prefixChars" in c.type.index ? Math.min(c.type.index.prefixChars, perPrefix) : undefined,
  }));
}

const indexSql = (parts: readonly IndexPart[]) =>
  parts
    .map((p) => (p.prefixChars === undefined ? q(p.column) : `${q(p.column)}(${p.prefixChars})`))
    .join(", ");

/**
 * CREATE TABLE for a stream: meta columns, data columns, and an index over the key when given.
 * Tables compare text exactly (a binary collation without padding), so keys that differ in case
 * or trailing spaces stay apart, as they are in the records.
 */
export function createTableSql(
  target: string,
  columns: readonly PlannedColumn[],
  collation: string,
  key: readonly IndexPart[] | undefined,
  options: { readonly temporary?: boolean; readonly withSeq?: boolean } = {},
): string {
  const definitions = [
    ...META_COLUMNS.map((m) => `${q(m.column)} ${m.sql}`),
    ...columns.map((c) => `${q(c.column)} ${c.type.sql} NULL`),
    ...(options.withSeq ? [`${q(SEQ_COLUMN)} BIGINT NOT NULL`] : []),
    ...(key === undefined || key.length === 0 ? [] : [`INDEX ${q(KEY_INDEX)} (${indexSql(key)})`]),
  ];
  return (
    `CREATE ${options.temporary ? "TEMPORARY " : ""}TABLE ${target} (${definitions.join(", ")}) ` +
    `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation}`
  );
}

/** ALTER TABLE … ADD COLUMN for columns the table lacks (schema evolution: columns are only added). */
export function addColumnsSql(target: string, columns: readonly { column: string; sql: string }[]): string {
  return `ALTER TABLE ${target} ${columns.map((c) => `ADD COLUMN ${q(c.column)} ${c.sql}`).join(", ")}`;
}

/** The column list shared by LOAD DATA and INSERT: raw id, extracted at, generation, data, meta, [seq]. */
function loadColumns(columns: readonly PlannedColumn[], withSeq: boolean, base64Variables: boolean) {
  const names = [
    q("_airbyte_raw_id"),
    q("_airbyte_extracted_at"),
    q("_airbyte_generation_id"),
    ...columns.map((c, i) => (base64Variables && c.type.base64 ? `@b${i}` : q(c.column))),
    q("_airbyte_meta"),
    ...(withSeq ? [q(SEQ_COLUMN)] : []),
  ];
  return names.join(", ");
}

/** LOAD DATA LOCAL INFILE of tab-separated rows (see RowEncoder) into `target`; binary columns arrive as base64. */
export function loadDataSql(target: string, columns: readonly PlannedColumn[], withSeq: boolean): string {
  const sets = columns.flatMap((c, i) => (c.type.base64 ? [`${q(c.column)} = FROM_BASE64(@b${i})`] : []));
  return (
    `LOAD DATA LOCAL INFILE 'weir-rows' INTO TABLE ${target} CHARACTER SET utf8mb4 ` +
    "FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' " +
    `(${loadColumns(columns, withSeq, true)})${sets.length === 0 ? "" : ` SET ${sets.join(", ")}`}`
  );
}

/** The head of a multi-row INSERT of tuples encoded by RowEncoder. */
export function insertHeadSql(target: string, columns: readonly PlannedColumn[], withSeq: boolean): string {
  return `INSERT INTO ${target} (${loadColumns(columns, withSeq, false)}) VALUES `;
}
