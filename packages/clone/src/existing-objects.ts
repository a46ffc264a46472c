import { qualifiedName } from "@weir/postgres-connection";
import type pg from "pg";
import type { CatalogTable, CatalogView, PostgresCatalog } from "./catalog-types.js";
import type { DdlStatement } from "./postgres-ddl.js";

/** A relation or type of the destination with the name of one the clone creates. */
export interface ExistingObject {
  /** `table`, `view`, `materialized view`, `sequence`, `foreign table`, `type`, `domain`. */
  readonly kind: string;
  readonly schema: string;
  readonly name: string;
}

const RELATION_KINDS: Record<string, string> = {
  r: "table",
  p: "table",
  v: "view",
  m: "materialized view",
  S: "sequence",
  f: "foreign table",
};

/**
 * The destination's relations and types that have the names of those the clone creates.
 * Example: `const clash = await findExistingObjects(client, catalog, tables, views)`.
 */
export async function findExistingObjects(
  client: pg.Client,
  catalog: PostgresCatalog,
  tables: readonly CatalogTable[],
  views: readonly CatalogView[],
): Promise<ExistingObject[]> {
  const relations = [...tables, ...views, ...catalog.sequences];
  const types = [...catalog.enums, ...catalog.domains, ...catalog.composites];
  const found = await client.query<{ kind: string; schema: string; name: string; type: string }>(
    `SELECT c.relkind::text AS kind, n.nspname AS schema, c.relname AS name, 'relation' AS type
       FROM unnest($1::text[], $2::text[]) AS x(s, r)
       JOIN pg_catalog.pg_namespace n ON n.nspname = x.s
       JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = x.r AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     UNION ALL
     SELECT t.typtype::text, n.nspname, t.typname, 'type'
       FROM unnest($3::text[], $4::text[]) AS x(s, r)
       JOIN pg_catalog.pg_namespace n ON n.nspname = x.s
       JOIN pg_catalog.pg_type t ON t.typnamespace = n.oid AND t.typname = x.r
      WHERE t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_catalog.pg_class k WHERE k.oid = t.typrelid AND k.relkind = 'c')
      ORDER BY 2, 3`,
    [
      relations.map((r) => r.schema),
      relations.map((r) => r.name),
      types.map((t) => t.schema),
      types.map((t) => t.name),
    ],
  );
  return found.rows.map((r) => ({
    kind: r.type === "type" ? (r.kind === "d" ? "domain" : "type") : (RELATION_KINDS[r.kind] ?? "relation"),
    schema: r.schema,
    name: r.name,
  }));
}

/**
 * DROP … IF EXISTS … CASCADE for each existing object and for the clone's functions, for
 * `on_existing: drop`: relations first (their sequences go with them), then types.
 */
export function dropStatements(
  existing: readonly ExistingObject[],
  catalog: PostgresCatalog,
): DdlStatement[] {
  const out: DdlStatement[] = [];
  const ordered = [...existing].sort(
    (a, b) =>
      Number(a.kind === "type" || a.kind === "domain") - Number(b.kind === "type" || b.kind === "domain"),
  );
  for (const object of ordered) {
    out.push({
      sql: `DROP ${object.kind.toUpperCase()} IF EXISTS ${qualifiedName(object.schema, object.name)} CASCADE`,
      what: `${object.kind} ${object.schema}.${object.name} (on_existing: drop)`,
    });
  }
  for (const f of catalog.functions) {
    out.push({
      sql: `DROP ${f.isProcedure ? "PROCEDURE" : "FUNCTION"} IF EXISTS ${f.signature} CASCADE`,
      what: `function ${f.signature} (on_existing: drop)`,
    });
  }
  return out;
}
