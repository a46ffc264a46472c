import type { MapperConfig } from "@weir/mappers";
import type { CatalogTable } from "./catalog-types.js";
import { displayTableName } from "./table-reference.js";

/** A column's mappers and, when they came from a referenced key, where from. */
export interface ColumnMasking {
  readonly column: string;
  readonly mappers: readonly MapperConfig[];
  /** `public.users.email` when the mappers were copied from the key this column references. */
  readonly from: string | undefined;
}

/** Per table (by oid): its mappers in order, the user's first, then those its foreign keys inherit. */
export interface PropagatedMasking {
  readonly mappers: ReadonlyMap<number, readonly MapperConfig[]>;
  readonly columns: ReadonlyMap<number, readonly ColumnMasking[]>;
}

// Mappers that give the same output for the same input wherever they run: a key masked with
// one of these still matches the same key masked in a referencing table.
const SAME_OUTPUT_FOR_SAME_INPUT = new Set([
  "hash",
  "fake",
  "mask",
  "redact",
  "nullify",
  "round",
  "decrypt",
  "shift_date",
]);

const firstSegment = (field: unknown): string | undefined =>
  typeof field === "string" ? field.split(".")[0] : Array.isArray(field) ? (field[0] as string) : undefined;

/** The column a mapper writes, when it writes one column given by `field`. */
export function mappedColumn(mapper: MapperConfig): string | undefined {
  return "field" in mapper ? firstSegment(mapper.field) : undefined;
}

const columnLabel = (table: CatalogTable, column: string) => `${displayTableName(table)}.${column}`;

function withField(mapper: MapperConfig, column: string): MapperConfig {
  return { ...mapper, field: column } as MapperConfig;
}

/**
 * Applies a masked key's mappers to every column that references it through a foreign key (and
 * on, through keys that reference those), so joins and foreign keys hold in the copy. Only
 * mappers that give the same output for the same input may mask a referenced key, and a
 * referencing column may not be masked on its own. `foreignKeys` are those the clone creates.
 * Example: `propagateMasking(tables, new Map([[users.oid, [{ type: "hash", field: "email", key }]]]))`.
 */
export function propagateMasking(
  tables: readonly CatalogTable[],
  userMappers: ReadonlyMap<number, readonly MapperConfig[]>,
  foreignKeys: readonly { readonly table: CatalogTable; readonly constraintOid: number }[],
): { ok: true; value: PropagatedMasking } | { ok: false; message: string } {
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  // Each foreign key as column pairs: referencing (child) column → referenced (parent) column.
  const edges: { child: CatalogTable; childColumn: string; parent: CatalogTable; parentColumn: string }[] =
    [];
  for (const { table, constraintOid } of foreignKeys) {
    const fk = table.constraints.find((c) => c.oid === constraintOid);
    const parent = fk?.references === undefined ? undefined : byOid.get(fk.references.tableOid);
    if (fk?.references === undefined || parent === undefined) continue;
    fk.columns.forEach((childColumn, i) => {
      const parentColumn = fk.references?.columns[i];
      if (parentColumn !== undefined) edges.push({ child: table, childColumn, parent, parentColumn });
    });
  }
  const key = (oid: number, column: string) => `${oid}\u0000${column}`;
  // The mappers each column gets, and where they came from.
  const assigned = new Map<string, { mappers: MapperConfig[]; from: string | undefined }>();
  for (const [oid, mappers] of userMappers) {
    const table = byOid.get(oid);
    if (table === undefined) continue;
    for (const mapper of mappers) {
      const column = mappedColumn(mapper);
      if (column === undefined) continue;
      const entry = assigned.get(key(oid, column)) ?? { mappers: [], from: undefined };
      entry.mappers.push(mapper);
      assigned.set(key(oid, column), entry);
    }
  }
  // A referencing column masked by the user: the key it references must be masked instead.
  for (const edge of edges) {
    const own = assigned.get(key(edge.child.oid, edge.childColumn));
    if (own === undefined) continue;
    const parent = assigned.get(key(edge.parent.oid, edge.parentColumn));
    if (parent === undefined || JSON.stringify(parent.mappers) !== JSON.stringify(own.mappers)) {
      return {
        ok: false,
        message:
          `${columnLabel(edge.child, edge.childColumn)} references ${columnLabel(edge.parent, edge.parentColumn)}: ` +
          `mask ${columnLabel(edge.parent, edge.parentColumn)} instead; its mappers are applied to ` +
          `${columnLabel(edge.child, edge.childColumn)} too, so the foreign key still holds`,
      };
    }
  }
  const queue = [...assigned.keys()];
  const edgesByParent = new Map<string, typeof edges>();
  for (const edge of edges) {
    const k = key(edge.parent.oid, edge.parentColumn);
    edgesByParent.set(k, [...(edgesByParent.get(k) ?? []), edge]);
  }
  const inherited = new Set<string>();
  while (queue.length > 0) {
    const k = queue.shift() as string;
    const source = assigned.get(k);
    const referencing = edgesByParent.get(k) ?? [];
    if (source === undefined || referencing.length === 0) continue;
    for (const edge of referencing) {
      for (const [index, mapper] of source.mappers.entries()) {
        const reason = sameOutputProblem(mapper);
        if (reason !== undefined) {
          return {
            ok: false,
            message:
              `${columnLabel(edge.parent, edge.parentColumn)} is referenced by ${columnLabel(edge.child, edge.childColumn)}: ` +
              `its mapper ${index + 1} (${mapper.type}) ${reason}; use hash, fake, mask or another mapper that ` +
              "gives the same output for the same input, so the foreign key still holds",
          };
        }
      }
      const target = key(edge.child.oid, edge.childColumn);
      if (assigned.has(target)) continue;
      assigned.set(target, {
        mappers: source.mappers.map((m) => withField(m, edge.childColumn)),
        from: source.from ?? columnLabel(edge.parent, edge.parentColumn),
      });
      inherited.add(target);
      queue.push(target);
    }
  }
  const mappers = new Map<number, MapperConfig[]>();
  const columns = new Map<number, ColumnMasking[]>();
  for (const table of tables) {
    const own = [...(userMappers.get(table.oid) ?? [])];
    const list: ColumnMasking[] = [];
    const seen = new Set<string>();
    for (const mapper of own) {
      const column = mappedColumn(mapper);
      if (column === undefined || seen.has(column)) continue;
      seen.add(column);
      list.push({ column, mappers: own.filter((m) => mappedColumn(m) === column), from: undefined });
    }
    for (const column of table.columns) {
      const k = key(table.oid, column.name);
      if (!inherited.has(k)) continue;
      const entry = assigned.get(k);
      if (entry === undefined) continue;
      own.push(...entry.mappers);
      list.push({ column: column.name, mappers: entry.mappers, from: entry.from });
    }
    if (own.length > 0) mappers.set(table.oid, own);
    if (list.length > 0) columns.set(table.oid, list);
  }
  return { ok: true, value: { mappers, columns } };
}

function sameOutputProblem(mapper: MapperConfig): string | undefined {
  if (!SAME_OUTPUT_FOR_SAME_INPUT.has(mapper.type)) {
    return mapper.type === "encrypt"
      ? "gives a different output every time (a random nonce)"
      : "may not give the same output for the same input";
  }
  if (mapper.type === "shift_date" && mapper.by !== undefined) {
    return "shifts by another column (by:), which the referencing table does not have";
  }
  return undefined;
}
