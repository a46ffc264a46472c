import type pg from "pg";
import type { CatalogComposite, CatalogDomain, CatalogEnum } from "./catalog-types.js";

type Row = Record<string, unknown>;

const notExtensionMember = (catalog: string, column: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = '${catalog}'::pg_catalog.regclass
     AND e.objid = ${column} AND e.deptype = 'e')`;

const text = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);
const num = (value: unknown): number => Number(value);

async function rows(client: pg.Client, sql: string, values: unknown[] = []): Promise<Row[]> {
  return (await client.query<Row>(sql, values)).rows;
}

/**
 * The enums, domains (with their checks) and composite types of the given schemas, leaving
 * out those an extension owns. Example: `const { enums } = await readTypeDefinitions(client, ["public"])`.
 */
export async function readTypeDefinitions(
  client: pg.Client,
  names: readonly string[],
): Promise<{ enums: CatalogEnum[]; domains: CatalogDomain[]; composites: CatalogComposite[] }> {
  const enums: CatalogEnum[] = (
    await rows(
      client,
      `SELECT t.oid, n.nspname AS schema, t.typname AS name,
              pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels,
              pg_catalog.obj_description(t.oid, 'pg_type') AS comment
         FROM pg_catalog.pg_type t
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
         JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
        WHERE n.nspname = ANY($1) AND ${notExtensionMember("pg_type", "t.oid")}
        GROUP BY t.oid, n.nspname, t.typname ORDER BY 2, 3`,
      [names],
    )
  ).map((r) => ({
    oid: num(r.oid),
    schema: String(r.schema),
    name: String(r.name),
    labels: r.labels as string[],
    comment: text(r.comment),
  }));

  const domainRows = await rows(
    client,
    `SELECT t.oid, n.nspname AS schema, t.typname AS name,
            pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type, t.typbasetype AS base_oid,
            t.typnotnull AS not_null, t.typdefault AS default_expression,
            CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
                 THEN pg_catalog.format('%I.%I', cn.nspname, co.collname) END AS collation,
            pg_catalog.obj_description(t.oid, 'pg_type') AS comment
       FROM pg_catalog.pg_type t
       JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
       LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
      WHERE t.typtype = 'd' AND n.nspname = ANY($1) AND ${notExtensionMember("pg_type", "t.oid")}
      ORDER BY 2, 3`,
    [names],
  );
  const domainChecks = await rows(
    client,
    `SELECT c.contypid AS domain, c.conname AS name, pg_catalog.pg_get_constraintdef(c.oid) AS definition,
            c.convalidated AS validated
       FROM pg_catalog.pg_constraint c WHERE c.contypid = ANY($1::oid[]) AND c.contype = 'c' ORDER BY c.conname`,
    [domainRows.map((r) => r.oid)],
  );
  const domains: CatalogDomain[] = domainRows.map((r) => ({
    oid: num(r.oid),
    schema: String(r.schema),
    name: String(r.name),
    baseType: String(r.base_type),
    baseTypeOid: num(r.base_oid),
    collation: text(r.collation),
    defaultExpression: text(r.default_expression),
    notNull: r.not_null === true,
    constraints: domainChecks
      .filter((c) => num(c.domain) === num(r.oid))
      .map((c) => ({
        name: String(c.name),
        definition: String(c.definition),
        validated: c.validated === true,
      })),
    comment: text(r.comment),
  }));

  const composites: CatalogComposite[] = (
    await rows(
      client,
      `SELECT t.oid, n.nspname AS schema, t.typname AS name, pg_catalog.obj_description(t.oid, 'pg_type') AS comment,
              (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                        'name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                        'typeOid', a.atttypid,
                        'collation', CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
                                          THEN pg_catalog.format('%I.%I', cn.nspname, co.collname) END)
                      ORDER BY a.attnum)
                 FROM pg_catalog.pg_attribute a
                 JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
                 LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
                 LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS attributes
         FROM pg_catalog.pg_type t
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
         JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
        WHERE t.typtype = 'c' AND n.nspname = ANY($1) AND ${notExtensionMember("pg_type", "t.oid")}
        ORDER BY 2, 3`,
      [names],
    )
  ).map((r) => ({
    oid: num(r.oid),
    schema: String(r.schema),
    name: String(r.name),
    attributes: ((r.attributes as Row[] | null) ?? []).map((a) => ({
      name: String(a.name),
      type: String(a.type),
      typeOid: num(a.typeOid),
      collation: text(a.collation),
    })),
    comment: text(r.comment),
  }));

  return { enums, domains, composites };
}
