import { systemError } from "@weir/cdk";
import { quoteString } from "@weir/mysql-connection";
import type { LiteralKind } from "./column-types.js";

/** A column a read is ordered by, with how its values are written as SQL literals. */
export interface OrderColumn {
  readonly name: string;
  /** The quoted column name, e.g. "`id`". */
  readonly quoted: string;
  readonly literal: LiteralKind;
}

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** A state value as a SQL literal. Example: `sqlLiteral("12", "number") // "12"`. */
export function sqlLiteral(value: string, kind: LiteralKind): string {
  if (kind === "number") {
    // Digits go in bare: a quoted number compared with a BIGINT column is compared as a double.
    if (!NUMBER.test(value))
      throw systemError(`The state holds ${JSON.stringify(value)} where a number belongs`);
    return value;
  }
  if (kind === "binary") return `X'${Buffer.from(value, "base64").toString("hex")}'`;
  return quoteString(value);
}

/** A value read from the database as the text a state keeps: digits, the text itself, bytes as base64. */
export function stateText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString("base64");
  return typeof value === "string" ? value : String(value);
}

/**
 * The condition "the row comes after `values` in the order of `columns`", NULL first as MySQL
 * sorts it; only the first column may be NULL. Written as OR-ed ranges, which MariaDB and MySQL
 * both turn into index range scans (row constructors are not always optimised).
 * Example: `afterPosition([a, b], ["1", "x"])` is "(`a` > 1 OR (`a` = 1 AND `b` > 'x'))".
 */
export function afterPosition(columns: readonly OrderColumn[], values: readonly (string | null)[]): string {
  const terms: string[] = [];
  const equal: string[] = [];
  columns.forEach((column, i) => {
    const value = values[i] ?? null;
    const greater =
      value === null
        ? `${column.quoted} IS NOT NULL`
        : `${column.quoted} > ${sqlLiteral(value, column.literal)}`;
    terms.push(equal.length === 0 ? greater : `(${[...equal, greater].join(" AND ")})`);
    equal.push(
      value === null ? `${column.quoted} IS NULL` : `${column.quoted} = ${sqlLiteral(value, column.literal)}`,
    );
  });
  return terms.length === 1 ? (terms[0] as string) : `(${terms.join(" OR ")})`;
}

/** "`c` >= value" (or no condition for NULL): where a resumed read without a key restarts. */
export function atOrAfter(column: OrderColumn, value: string | null): string | undefined {
  return value === null ? undefined : `${column.quoted} >= ${sqlLiteral(value, column.literal)}`;
}
