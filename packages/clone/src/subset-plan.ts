import { qualifiedName, quoteIdentifier, quoteLiteral } from "@weir/postgres-connection";
import type pg from "pg";
import type { CatalogTable } from "./catalog-types.js";
import type { SubsetConfig } from "./clone-config.js";
import { displayTableName } from "./table-reference.js";

/** A foreign key between two cloned tables, as column lists. */
export interface ForeignKeyEdge {
  readonly child: CatalogTable;
  readonly childColumns: readonly string[];
  readonly parent: CatalogTable;
  readonly parentColumns: readonly string[];
}

/** Which rows of a table a subset copies. */
export type SubsetSelection =
  | { readonly mode: "full" }
  | { readonly mode: "empty" }
  | {
      readonly mode: "keep";
      /** The temporary table of kept keys, in the planning session. */
      readonly keepTable: string;
      /** The row key: primary key columns, NOT NULL unique columns, or ctid. */
      readonly key: readonly string[] | "ctid";
      readonly rows: number;
      /** `start`, `child` (reached from a start table) or `parent` (referenced by kept rows). */
      readonly reason: "start" | "child" | "parent";
    };

/** A resolved start of the subset. */
export interface SubsetStartTable {
  readonly table: CatalogTable;
  readonly percent: number | undefined;
  readonly where: string | undefined;
  /** `subset.start[0]`, for messages. */
  readonly label: string;
}

type KeepTable = { name: string; key: readonly string[] | "ctid"; reason: "start" | "child" | "parent" };

/** The columns identifying a row: the primary key, else NOT NULL unique columns, else none (ctid). */
export function rowKey(table: CatalogTable): readonly string[] | "ctid" {
  const primary = table.constraints.find((c) => c.type === "p");
  if (primary !== undefined) return primary.columns;
  const notNull = new Set(table.columns.filter((c) => c.notNull).map((c) => c.name));
  const unique = table.constraints.find(
    (c) => c.type === "u" && c.columns.every((name) => notNull.has(name)),
  );
  return unique?.columns ?? "ctid";
}

const keyList = (alias: string, key: readonly string[] | "ctid") =>
  key === "ctid" ? `${alias}.ctid` : key.map((k) => `${alias}.${quoteIdentifier(k)}`).join(", ");
const columnList = (alias: string, columns: readonly string[]) =>
  columns.map((c) => `${alias}.${quoteIdentifier(c)}`).join(", ");
const keepColumns = (key: readonly string[] | "ctid") =>
  key === "ctid" ? "ctid" : key.map(quoteIdentifier).join(", ");

/** The condition a COPY of a kept table selects its rows with, on alias `t`. */
export function keptRowsCondition(selection: { keepTable: string; key: readonly string[] | "ctid" }): string {
  return `(${keyList("t", selection.key)}) IN (SELECT ${keepColumns(selection.key)} FROM ${selection.keepTable})`;
}

/**
 * Chooses the subset's rows in the source, into temporary tables of kept keys in this session:
 * the start tables' rows (a `percent` chosen by `md5(seed || key)`, so the same seed and data
 * give the same rows; and/or a `where`), then rows referencing kept rows down the foreign keys
 * when `children` is on, then every row a kept row references, up the foreign keys, until
 * nothing changes. Tables the start tables do not reach are copied in full or left empty.
 * Example: `await planSubset(client, tables, edges, starts, config)`.
 */
export async function planSubset(
  client: pg.Client,
  tables: readonly CatalogTable[],
  edges: readonly ForeignKeyEdge[],
  starts: readonly SubsetStartTable[],
  config: SubsetConfig,
  onStep: (message: string) => void = () => {},
): Promise<
  { ok: true; value: Map<number, SubsetSelection> } | { ok: false; message: string; cause: unknown }
> {
  const seed = String(config.seed ?? 0);
  const keep = new Map<number, KeepTable>();
  const startOids = new Set(starts.map((s) => s.table.oid));
  // Descendants of the start tables: they hold the rows that reference kept rows.
  const down = new Set(startOids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const edge of edges) {
      if (down.has(edge.parent.oid) && !down.has(edge.child.oid)) {
        down.add(edge.child.oid);
        grew = true;
      }
    }
  }
  const keepers = new Set(down);
  for (let grew = true; grew; ) {
    grew = false;
    for (const edge of edges) {
      if (keepers.has(edge.child.oid) && !keepers.has(edge.parent.oid)) {
        keepers.add(edge.parent.oid);
        grew = true;
      }
    }
  }
  let n = 0;
  for (const table of tables) {
    if (!keepers.has(table.oid)) continue;
    const key = rowKey(table);
    const name = `pg_temp.${quoteIdentifier(`weir_keep_${n++}`)}`;
    const types = new Map(table.columns.map((c) => [c.name, c.type]));
    const columns =
      key === "ctid"
        ? "ctid pg_catalog.tid"
        : key.map((k) => `${quoteIdentifier(k)} ${types.get(k) ?? "text"}`).join(", ");
    await client.query(`CREATE TEMPORARY TABLE ${name} (${columns}, PRIMARY KEY (${keepColumns(key)}))`);
    keep.set(table.oid, {
      name,
      key,
      reason: startOids.has(table.oid) ? "start" : down.has(table.oid) ? "child" : "parent",
    });
  }
  const other = config.other_tables ?? "full";
  const source = (t: CatalogTable) => qualifiedName(t.schema, t.name);

  for (const start of starts) {
    const target = keep.get(start.table.oid) as KeepTable;
    const where = start.where === undefined ? "true" : `(${start.where})`;
    let limit = "";
    try {
      if (start.percent !== undefined) {
        const counted = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${source(start.table)} t WHERE ${where}`,
        );
        const total = Number(counted.rows[0]?.n ?? 0);
        const rowText = target.key === "ctid" ? "t::text" : `ROW(${keyList("t", target.key)})::text`;
        limit = ` ORDER BY pg_catalog.md5(${quoteLiteral(seed)} || ':' || ${rowText}), ${keyList("t", target.key)} LIMIT ${Math.ceil((total * start.percent) / 100)}`;
      }
      const added = await client.query(
        `INSERT INTO ${target.name} (${keepColumns(target.key)}) SELECT ${keyList("t", target.key)} FROM ${source(start.table)} t WHERE ${where}${limit} ON CONFLICT DO NOTHING`,
      );
      onStep(`${displayTableName(start.table)}: ${added.rowCount ?? 0} start rows`);
    } catch (error) {
      return {
        ok: false,
        message: `${start.label} (${displayTableName(start.table)}): ${(error as Error).message}`,
        cause: error,
      };
    }
  }

  const childrenOn = config.children ?? true;
  if (childrenOn) {
    const queue = [...startOids];
    while (queue.length > 0) {
      const oid = queue.shift() as number;
      const parent = keep.get(oid) as KeepTable;
      for (const edge of edges) {
        if (edge.parent.oid !== oid || !down.has(edge.child.oid)) continue;
        const child = keep.get(edge.child.oid) as KeepTable;
        const added = await client.query(
          `INSERT INTO ${child.name} (${keepColumns(child.key)})
           SELECT ${keyList("c", child.key)} FROM ${source(edge.child)} c
            WHERE (${columnList("c", edge.childColumns)}) IN (
                  SELECT ${columnList("p", edge.parentColumns)} FROM ${source(edge.parent)} p
                   WHERE (${keyList("p", parent.key)}) IN (SELECT ${keepColumns(parent.key)} FROM ${parent.name}))
           ON CONFLICT DO NOTHING`,
        );
        if ((added.rowCount ?? 0) > 0 && !queue.includes(edge.child.oid)) queue.push(edge.child.oid);
      }
    }
  }

  // Parents of every kept row (and of every row of a table copied in full), to a fixed point.
  const queue = [...keep.keys()];
  if (other === "full") {
    for (const table of tables) if (!keep.has(table.oid)) queue.push(table.oid);
  }
  while (queue.length > 0) {
    const oid = queue.shift() as number;
    const child = keep.get(oid);
    for (const edge of edges) {
      if (edge.child.oid !== oid) continue;
      const parent = keep.get(edge.parent.oid);
      if (parent === undefined) continue;
      const rows =
        child === undefined
          ? `SELECT ${columnList("c", edge.childColumns)} FROM ${source(edge.child)} c`
          : `SELECT ${columnList("c", edge.childColumns)} FROM ${source(edge.child)} c
              WHERE (${keyList("c", child.key)}) IN (SELECT ${keepColumns(child.key)} FROM ${child.name})`;
      const added = await client.query(
        `INSERT INTO ${parent.name} (${keepColumns(parent.key)})
         SELECT ${keyList("p", parent.key)} FROM ${source(edge.parent)} p
          WHERE (${columnList("p", edge.parentColumns)}) IN (${rows})
         ON CONFLICT DO NOTHING`,
      );
      if ((added.rowCount ?? 0) > 0 && !queue.includes(edge.parent.oid)) queue.push(edge.parent.oid);
    }
  }

  const selections = new Map<number, SubsetSelection>();
  for (const table of tables) {
    const kept = keep.get(table.oid);
    if (kept === undefined) {
      selections.set(table.oid, { mode: other });
      continue;
    }
    await client.query(`ANALYZE ${kept.name}`);
    const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${kept.name}`);
    selections.set(table.oid, {
      mode: "keep",
      keepTable: kept.name,
      key: kept.key,
      rows: Number(counted.rows[0]?.n ?? 0),
      reason: kept.reason,
    });
  }
  return { ok: true, value: selections };
}
