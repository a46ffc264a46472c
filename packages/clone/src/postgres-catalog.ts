import type pg from "pg";
import { readTypeDefinitions } from "./catalog-type-definitions.js";
import type {
  CatalogColumn,
  CatalogConstraint,
  CatalogExtension,
  CatalogFunction,
  CatalogIndex,
  CatalogSequence,
  CatalogTable,
  CatalogTrigger,
  CatalogView,
  ConstraintType,
  PostgresCatalog,
} from "./catalog-types.js";

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

/** The schemas a clone may copy: every schema that is neither Postgres' own nor an extension's. */
export async function listUserSchemas(
  client: pg.Client,
): Promise<{ name: string; comment: string | undefined }[]> {
  const found = await rows(
    client,
    `SELECT n.nspname AS name, pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment
       FROM pg_catalog.pg_namespace n
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
        AND ${notExtensionMember("pg_namespace", "n.oid")}
      ORDER BY 1`,
  );
  return found.map((r) => ({ name: String(r.name), comment: text(r.comment) }));
}

/**
 * Reads everything the clone creates in the destination from the source catalog: types,
 * functions, sequences, tables with columns, constraints, indexes and triggers, views. Call it
 * in the snapshot's transaction with `search_path` set to ''. It takes no lock on any table
 * (sizes come from pg_class, as of the last VACUUM or ANALYZE), so the clone never makes the
 * source's own DDL wait for more than the table being copied.
 * Example: `const catalog = await readPostgresCatalog(client, ["public"])`.
 */
export async function readPostgresCatalog(
  client: pg.Client,
  schemas: readonly { name: string; comment: string | undefined }[],
): Promise<PostgresCatalog> {
  const names = schemas.map((s) => s.name);
  const skipped: string[] = [];
  const [version] = await rows(client, "SELECT current_setting('server_version_num')::int AS v");
  const serverVersion = num(version?.v);

  const { enums, domains, composites } = await readTypeDefinitions(client, names);

  const functions: CatalogFunction[] = [];
  for (const r of await rows(
    client,
    `SELECT p.oid, n.nspname AS schema, p.proname AS name, p.prokind AS kind,
            pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) AS signature,
            CASE WHEN p.prokind IN ('f', 'p') THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition,
            pg_catalog.obj_description(p.oid, 'pg_proc') AS comment
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ANY($1) AND ${notExtensionMember("pg_proc", "p.oid")}
      ORDER BY 2, 3, p.oid`,
    [names],
  )) {
    if (r.definition === null) {
      skipped.push(`${r.kind === "a" ? "aggregate" : "window function"} ${r.signature}: not copied`);
      continue;
    }
    functions.push({
      oid: num(r.oid),
      schema: String(r.schema),
      name: String(r.name),
      signature: String(r.signature),
      definition: String(r.definition),
      isProcedure: r.kind === "p",
      comment: text(r.comment),
    });
  }

  const tableRows = await rows(
    client,
    `SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relpersistence AS persistence,
            c.reloptions AS options, c.reltuples AS tuples,
            c.relpages::int8 * pg_catalog.current_setting('block_size')::int8 AS bytes,
            c.relpages AS pages, c.relispartition AS is_partition,
            pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
            ARRAY(SELECT i.inhparent::int8 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS inherits
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname = ANY($1) AND ${notExtensionMember("pg_class", "c.oid")}
      ORDER BY 2, 3`,
    [names],
  );
  const partitioned = tableRows.filter((r) => r.kind === "p" || r.is_partition === true);
  const plainRows = tableRows.filter((r) => r.kind === "r" && r.is_partition !== true);
  for (const r of tableRows.filter((t) => t.kind === "f")) {
    skipped.push(`foreign table ${r.schema}.${r.name}: not copied`);
  }
  const tableOids = plainRows.map((r) => r.oid);

  const viewRows = await rows(
    client,
    `SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
            pg_catalog.pg_get_viewdef(c.oid) AS definition, c.reloptions AS options,
            pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
            ARRAY(SELECT DISTINCT d.refobjid::int8 FROM pg_catalog.pg_rewrite r
                    JOIN pg_catalog.pg_depend d ON d.classid = 'pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
                     AND d.refclassid = 'pg_class'::pg_catalog.regclass
                   WHERE r.ev_class = c.oid AND d.refobjid <> c.oid) AS depends_on
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1) AND ${notExtensionMember("pg_class", "c.oid")}
      ORDER BY 2, 3`,
    [names],
  );
  const relationOids = [...tableOids, ...viewRows.map((r) => r.oid)];

  const domainBases = await rows(
    client,
    `SELECT d.oid, d.typbasetype AS base, b.typname AS base_name, b.typcategory AS category, b.typtype AS base_kind
       FROM pg_catalog.pg_type d JOIN pg_catalog.pg_type b ON b.oid = d.typbasetype WHERE d.typtype = 'd'`,
  );
  const domainBase = new Map(domainBases.map((r) => [num(r.oid), r]));
  const baseOf = (
    oid: number,
    name: string,
    category: string,
  ): { oid: number; name: string; category: string } => {
    let current = { oid, name, category };
    for (let guard = 0; guard < 100; guard++) {
      const next = domainBase.get(current.oid);
      if (next === undefined) break;
      current = { oid: num(next.base), name: String(next.base_name), category: String(next.category) };
    }
    return current;
  };

  const columnRows = await rows(
    client,
    `SELECT a.attrelid AS rel, a.attnum, a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
            a.atttypid AS type_oid, t.typname AS type_name, t.typcategory AS category, a.attnotnull AS not_null,
            pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expression, a.attidentity AS identity,
            a.attgenerated AS generated,
            CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                 THEN pg_catalog.format('%I.%I', cn.nspname, co.collname) END AS collation,
            pg_catalog.col_description(a.attrelid, a.attnum) AS comment
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
       LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [tableOids],
  );
  const columnsByTable = groupBy(columnRows, (r) => num(r.rel));

  const constraintRows = await rows(
    client,
    `SELECT co.oid, co.conrelid AS rel, co.conname AS name, co.contype AS type,
            pg_catalog.pg_get_constraintdef(co.oid) AS definition, co.convalidated AS validated,
            co.condeferrable AS deferrable, co.condeferred AS deferred, co.conindid AS index_oid,
            co.conkey::int4[] AS keys, co.confrelid AS ref_rel, co.confkey::int4[] AS ref_keys,
            pg_catalog.obj_description(co.oid, 'pg_constraint') AS comment
       FROM pg_catalog.pg_constraint co
      WHERE co.conrelid = ANY($1::oid[]) AND co.contype IN ('p', 'u', 'f', 'c', 'x')
      ORDER BY co.conrelid, co.conname`,
    [tableOids],
  );
  // Referenced tables may be outside the clone: their column names come from the catalog too.
  const referencedOids = [...new Set(constraintRows.map((r) => num(r.ref_rel)).filter((oid) => oid !== 0))];
  const attributeNames = new Map<string, string>();
  for (const r of columnRows) attributeNames.set(`${num(r.rel)}:${num(r.attnum)}`, String(r.name));
  const missing = referencedOids.filter((oid) => !columnsByTable.has(oid));
  if (missing.length > 0) {
    for (const r of await rows(
      client,
      "SELECT attrelid AS rel, attnum, attname AS name FROM pg_catalog.pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0",
      [missing],
    )) {
      attributeNames.set(`${num(r.rel)}:${num(r.attnum)}`, String(r.name));
    }
  }
  const namesOf = (rel: number, keys: unknown): string[] =>
    ((keys as number[] | null) ?? []).map((k) => attributeNames.get(`${rel}:${k}`) ?? `#${k}`);
  const constraintsByTable = groupBy(constraintRows, (r) => num(r.rel));

  const indexRows = await rows(
    client,
    `SELECT i.indexrelid AS oid, i.indrelid AS rel, ic.relname AS name, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
            i.indisvalid AS valid, co.oid AS constraint_oid, pg_catalog.obj_description(i.indexrelid, 'pg_class') AS comment
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
       LEFT JOIN pg_catalog.pg_constraint co ON co.conindid = i.indexrelid AND co.conrelid = i.indrelid
        AND co.contype IN ('p', 'u', 'x')
      WHERE i.indrelid = ANY($1::oid[])
      ORDER BY i.indrelid, ic.relname`,
    [relationOids],
  );
  const indexesByTable = groupBy(indexRows, (r) => num(r.rel));
  const toIndex = (r: Row): CatalogIndex => ({
    oid: num(r.oid),
    name: String(r.name),
    definition: String(r.definition),
    valid: r.valid === true,
    constraintOid: r.constraint_oid === null ? undefined : num(r.constraint_oid),
    comment: text(r.comment),
  });

  const triggerRows = await rows(
    client,
    `SELECT t.tgrelid AS rel, t.tgname AS name, pg_catalog.pg_get_triggerdef(t.oid) AS definition,
            t.tgenabled AS enabled, pg_catalog.obj_description(t.oid, 'pg_trigger') AS comment
       FROM pg_catalog.pg_trigger t WHERE t.tgrelid = ANY($1::oid[]) AND NOT t.tgisinternal ORDER BY t.tgname`,
    [tableOids],
  );
  const triggersByTable = groupBy(triggerRows, (r) => num(r.rel));

  const tables: CatalogTable[] = plainRows.map((r) => {
    const oid = num(r.oid);
    const columns: CatalogColumn[] = (columnsByTable.get(oid) ?? []).map((c) => {
      const base = baseOf(num(c.type_oid), String(c.type_name), String(c.category));
      const generated = String(c.generated ?? "");
      return {
        name: String(c.name),
        attnum: num(c.attnum),
        type: String(c.type),
        typeOid: num(c.type_oid),
        baseType: base.name,
        baseTypeOid: base.oid,
        category: base.category,
        notNull: c.not_null === true,
        defaultExpression: generated === "" ? text(c.default_expression) : undefined,
        identity: String(c.identity ?? "") as CatalogColumn["identity"],
        generated,
        generationExpression: generated === "" ? undefined : text(c.default_expression),
        collation: text(c.collation),
        comment: text(c.comment),
      };
    });
    const constraints: CatalogConstraint[] = (constraintsByTable.get(oid) ?? []).map((c) => ({
      oid: num(c.oid),
      name: String(c.name),
      type: String(c.type) as ConstraintType,
      definition: String(c.definition),
      validated: c.validated === true,
      deferrable: c.deferrable === true,
      deferred: c.deferred === true,
      indexOid: num(c.index_oid) === 0 ? undefined : num(c.index_oid),
      columns: namesOf(oid, c.keys),
      references:
        c.type === "f"
          ? { tableOid: num(c.ref_rel), columns: namesOf(num(c.ref_rel), c.ref_keys) }
          : undefined,
      comment: text(c.comment),
    }));
    const triggers: CatalogTrigger[] = (triggersByTable.get(oid) ?? []).map((t) => ({
      name: String(t.name),
      definition: String(t.definition),
      enabled: String(t.enabled),
      comment: text(t.comment),
    }));
    return {
      oid,
      schema: String(r.schema),
      name: String(r.name),
      unlogged: r.persistence === "u",
      options: (r.options as string[] | null) ?? null,
      estimatedRows: Number(r.tuples),
      bytes: Number(r.bytes),
      pages: Number(r.pages),
      comment: text(r.comment),
      columns,
      constraints,
      indexes: (indexesByTable.get(oid) ?? []).map(toIndex),
      triggers,
      inherits: ((r.inherits as unknown[] | null) ?? []).map(num),
    };
  });

  const views: CatalogView[] = [];
  const viewColumnComments = await rows(
    client,
    `SELECT d.objoid AS rel, a.attname AS column, d.description AS comment
       FROM pg_catalog.pg_description d
       JOIN pg_catalog.pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
      WHERE d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = ANY($1::oid[]) AND d.objsubid > 0`,
    [viewRows.map((r) => r.oid)],
  );
  for (const r of viewRows) {
    const oid = num(r.oid);
    views.push({
      oid,
      schema: String(r.schema),
      name: String(r.name),
      materialized: r.kind === "m",
      definition: String(r.definition),
      options: (r.options as string[] | null) ?? null,
      dependsOn: ((r.depends_on as unknown[] | null) ?? []).map(num),
      comment: text(r.comment),
      columnComments: viewColumnComments
        .filter((c) => num(c.rel) === oid)
        .map((c) => ({ column: String(c.column), comment: String(c.comment) })),
      indexes: (indexesByTable.get(oid) ?? []).map(toIndex),
    });
  }

  const sequenceRows = await rows(
    client,
    `SELECT c.oid, n.nspname AS schema, c.relname AS name, pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
            s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min,
            s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
            d.refobjid AS owner_rel, a.attname AS owner_column, d.deptype AS dependency,
            pg_catalog.obj_description(c.oid, 'pg_class') AS comment
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
       LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')
       LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE c.relkind = 'S' AND n.nspname = ANY($1) AND ${notExtensionMember("pg_class", "c.oid")}
      ORDER BY 2, 3`,
    [names],
  );
  const sequences: CatalogSequence[] = sequenceRows.map((r) => ({
    oid: num(r.oid),
    schema: String(r.schema),
    name: String(r.name),
    dataType: String(r.data_type),
    start: String(r.start),
    increment: String(r.increment),
    min: String(r.min),
    max: String(r.max),
    cache: String(r.cache),
    cycle: r.cycle === true,
    ownedBy:
      r.owner_rel === null ? undefined : { tableOid: num(r.owner_rel), column: String(r.owner_column) },
    identity: r.dependency === "i",
    comment: text(r.comment),
  }));

  const extensions = await usedExtensions(client, names, [
    ...columnRows.map((r) => num(r.type_oid)),
    ...domains.map((d) => d.baseTypeOid),
    ...composites.flatMap((c) => c.attributes.map((a) => a.typeOid)),
  ]);

  return {
    serverVersion,
    schemas,
    extensions,
    enums,
    domains,
    composites,
    functions,
    sequences,
    tables,
    views,
    skipped,
    partitioned: partitioned.map((r) => ({ schema: String(r.schema), name: String(r.name) })),
  };
}

/** Extensions installed in a cloned schema, or providing a type a cloned column uses (plpgsql aside). */
async function usedExtensions(
  client: pg.Client,
  schemas: readonly string[],
  typeOids: readonly number[],
): Promise<CatalogExtension[]> {
  const found = await rows(
    client,
    `SELECT DISTINCT e.extname AS name, n.nspname AS schema
       FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname <> 'plpgsql'
        AND (n.nspname = ANY($1) OR EXISTS (
              SELECT 1 FROM pg_catalog.pg_depend d
               WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.refobjid = e.oid
                 AND d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.deptype = 'e'
                 AND (d.objid = ANY($2::oid[]) OR d.objid IN (
                       SELECT t.typelem FROM pg_catalog.pg_type t WHERE t.oid = ANY($2::oid[])))))
      ORDER BY 1`,
    [schemas, [...new Set(typeOids)]],
  );
  return found.map((r) => ({ name: String(r.name), schema: String(r.schema) }));
}

function groupBy<K>(items: readonly Row[], key: (row: Row) => K): Map<K, Row[]> {
  const out = new Map<K, Row[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}
