import type { CatalogConstraint, CatalogTable, CatalogView, PostgresCatalog } from "./catalog-types.js";
import type { CloneConfig } from "./clone-config.js";
import type { ForeignKeyEdge } from "./subset-plan.js";
import {
  displayTableName,
  parseTableReference,
  referenceMatches,
  type TableReference,
} from "./table-reference.js";

/** The tables, foreign keys and views a clone copies, and what it leaves out. */
export interface TableSelection {
  readonly tables: readonly CatalogTable[];
  /** Foreign keys between cloned tables, created after the data. */
  readonly foreignKeys: readonly { readonly table: CatalogTable; readonly constraint: CatalogConstraint }[];
  readonly edges: readonly ForeignKeyEdge[];
  readonly views: readonly CatalogView[];
  readonly notes: readonly string[];
}

function parsePatterns(
  list: readonly string[] | undefined,
  field: string,
): { ok: true; value: TableReference[] } | { ok: false; message: string } {
  const out: TableReference[] = [];
  for (const [i, text] of (list ?? []).entries()) {
    const parsed = parseTableReference(text);
    if ("error" in parsed) return { ok: false, message: `${field}[${i}]: ${parsed.error}` };
    out.push(parsed);
  }
  return { ok: true, value: out };
}

/**
 * Applies include_tables / exclude_tables to the catalog's tables. A pattern that matches no
 * table is an error: a misspelt exclude would otherwise copy what it meant to leave out.
 * Foreign keys to a table left out, and views reading one, are left out with a note.
 */
export function selectTables(
  catalog: PostgresCatalog,
  config: Pick<CloneConfig, "include_tables" | "exclude_tables">,
): { ok: true; value: TableSelection } | { ok: false; message: string } {
  const include = parsePatterns(config.include_tables, "include_tables");
  if (!include.ok) return include;
  const exclude = parsePatterns(config.exclude_tables, "exclude_tables");
  if (!exclude.ok) return exclude;
  const all = [...catalog.tables, ...catalog.partitioned];
  for (const [field, patterns, texts] of [
    ["include_tables", include.value, config.include_tables ?? []],
    ["exclude_tables", exclude.value, config.exclude_tables ?? []],
  ] as const) {
    for (const [i, pattern] of patterns.entries()) {
      if (!all.some((t) => referenceMatches(pattern, t))) {
        return {
          ok: false,
          message: `${field}[${i}]: ${JSON.stringify(texts[i])} matches no table of the cloned schemas (${catalog.schemas
            .map((s) => s.name)
            .join(", ")})`,
        };
      }
    }
  }
  const chosen = (t: { schema: string; name: string }) =>
    (include.value.length === 0 || include.value.some((p) => referenceMatches(p, t))) &&
    !exclude.value.some((p) => referenceMatches(p, t));
  const partitioned = catalog.partitioned.filter(chosen);
  if (partitioned.length > 0) {
    return {
      ok: false,
      message: `partitioned tables are not supported yet: ${partitioned
        .map(displayTableName)
        .join(", ")}; leave them out with exclude_tables`,
    };
  }
  const tables = catalog.tables.filter(chosen);
  const cloned = new Map(tables.map((t) => [t.oid, t]));
  const notes: string[] = [];
  const foreignKeys: { table: CatalogTable; constraint: CatalogConstraint }[] = [];
  const edges: ForeignKeyEdge[] = [];
  for (const table of tables) {
    if (table.inherits.length > 0) {
      notes.push(
        `${displayTableName(table)} inherits from another table: it is copied as a table of its own`,
      );
    }
    for (const constraint of table.constraints) {
      if (constraint.type !== "f" || constraint.references === undefined) continue;
      const parent = cloned.get(constraint.references.tableOid);
      if (parent === undefined) {
        notes.push(
          `foreign key ${constraint.name} of ${displayTableName(table)}: not created, it references a table that is not cloned`,
        );
        continue;
      }
      foreignKeys.push({ table, constraint });
      edges.push({
        child: table,
        childColumns: constraint.columns,
        parent,
        parentColumns: constraint.references.columns,
      });
    }
    for (const index of table.indexes) {
      if (!index.valid)
        notes.push(
          `index ${index.name} of ${displayTableName(table)}: not created, it is invalid in the source`,
        );
    }
  }
  // A view reading a table or view that is not there cannot be created; nor can views reading it.
  const present = new Set<number>(tables.map((t) => t.oid));
  const viewOids = new Set(catalog.views.map((v) => v.oid));
  const relationOids = new Set<number>([...catalog.tables.map((t) => t.oid), ...viewOids]);
  const views: CatalogView[] = [];
  let remaining = [...catalog.views];
  for (let progress = true; progress; ) {
    progress = false;
    const next: CatalogView[] = [];
    for (const view of remaining) {
      const reads = view.dependsOn.filter((oid) => relationOids.has(oid));
      if (reads.every((oid) => present.has(oid))) {
        views.push(view);
        present.add(view.oid);
        progress = true;
      } else next.push(view);
    }
    remaining = next;
  }
  for (const view of remaining) {
    notes.push(`view ${displayTableName(view)}: not created, it reads a table that is not cloned`);
  }
  return { ok: true, value: { tables, foreignKeys, edges, views, notes } };
}
