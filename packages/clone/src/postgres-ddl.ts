import { qualifiedName, quoteIdentifier, quoteLiteral } from "@weir/postgres-connection";
import type {
  CatalogConstraint,
  CatalogIndex,
  CatalogSequence,
  CatalogTable,
  CatalogView,
  PostgresCatalog,
} from "./catalog-types.js";
import type { SequenceValue } from "./sequence-values.js";

/** One statement for the destination, with what it makes (for error messages). */
export interface DdlStatement {
  readonly sql: string;
  /** `table public.users`, `index users_email_idx on public.users`. */
  readonly what: string;
}

const commentOn = (target: string, comment: string | undefined, what: string): DdlStatement[] =>
  comment === undefined ? [] : [{ sql: `COMMENT ON ${target} IS ${quoteLiteral(comment)}`, what }];

/** CREATE SCHEMA and CREATE EXTENSION, first of all. */
export function schemaStatements(catalog: PostgresCatalog): DdlStatement[] {
  const out: DdlStatement[] = [];
  const schemas = new Set(catalog.schemas.map((s) => s.name));
  for (const schema of catalog.schemas) {
    out.push({
      sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema.name)}`,
      what: `schema ${schema.name}`,
    });
  }
  for (const extension of catalog.extensions) {
    if (!schemas.has(extension.schema)) {
      out.push({
        sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(extension.schema)}`,
        what: `schema ${extension.schema}`,
      });
    }
    out.push({
      sql: `CREATE EXTENSION IF NOT EXISTS ${quoteIdentifier(extension.name)} WITH SCHEMA ${quoteIdentifier(extension.schema)}`,
      what: `extension ${extension.name}`,
    });
  }
  return out;
}

/**
 * Enums, domains, composite types and functions, in catalog order. They may depend on each
 * other in any order (a domain over a composite, a function taking a domain), so the caller
 * runs them in passes until none is left that a later one could unblock.
 */
export function typeAndFunctionStatements(catalog: PostgresCatalog): DdlStatement[] {
  const out: DdlStatement[] = [];
  for (const e of catalog.enums) {
    const labels = e.labels.map(quoteLiteral).join(", ");
    out.push({
      sql: `CREATE TYPE ${qualifiedName(e.schema, e.name)} AS ENUM (${labels})`,
      what: `type ${e.schema}.${e.name}`,
    });
  }
  for (const d of catalog.domains) {
    let sql = `CREATE DOMAIN ${qualifiedName(d.schema, d.name)} AS ${d.baseType}`;
    if (d.collation !== undefined) sql += ` COLLATE ${d.collation}`;
    if (d.defaultExpression !== undefined) sql += ` DEFAULT ${d.defaultExpression}`;
    if (d.notNull) sql += " NOT NULL";
    for (const c of d.constraints) sql += ` CONSTRAINT ${quoteIdentifier(c.name)} ${c.definition}`;
    out.push({ sql, what: `domain ${d.schema}.${d.name}` });
  }
  for (const c of catalog.composites) {
    const attributes = c.attributes
      .map(
        (a) =>
          `${quoteIdentifier(a.name)} ${a.type}${a.collation === undefined ? "" : ` COLLATE ${a.collation}`}`,
      )
      .join(", ");
    out.push({
      sql: `CREATE TYPE ${qualifiedName(c.schema, c.name)} AS (${attributes})`,
      what: `type ${c.schema}.${c.name}`,
    });
  }
  for (const f of catalog.functions) {
    out.push({ sql: f.definition, what: `${f.isProcedure ? "procedure" : "function"} ${f.signature}` });
  }
  return out;
}

/** CREATE SEQUENCE for sequences that are not an identity column's (the column makes those). */
export function sequenceStatements(catalog: PostgresCatalog): DdlStatement[] {
  return catalog.sequences
    .filter((s) => !s.identity)
    .map((s) => ({
      sql: `CREATE SEQUENCE ${qualifiedName(s.schema, s.name)} ${sequenceOptions(s)}`,
      what: `sequence ${s.schema}.${s.name}`,
    }));
}

function sequenceOptions(s: CatalogSequence): string {
  return (
    `AS ${s.dataType} INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} ` +
    `START WITH ${s.start} CACHE ${s.cache}${s.cycle ? " CYCLE" : " NO CYCLE"}`
  );
}

/**
 * CREATE TABLE with columns, defaults, NOT NULL, identity, generated columns and the validated
 * CHECK constraints; keys, indexes and foreign keys come after the data.
 */
export function createTableStatement(table: CatalogTable, catalog: PostgresCatalog): DdlStatement {
  const identitySequences = new Map(
    catalog.sequences
      .filter((s) => s.identity && s.ownedBy?.tableOid === table.oid)
      .map((s) => [s.ownedBy?.column, s] as const),
  );
  const lines = table.columns.map((c) => {
    let line = `${quoteIdentifier(c.name)} ${c.type}`;
    if (c.collation !== undefined) line += ` COLLATE ${c.collation}`;
    if (c.identity !== "") {
      const sequence = identitySequences.get(c.name);
      const options =
        sequence === undefined
          ? ""
          : ` (SEQUENCE NAME ${qualifiedName(sequence.schema, sequence.name)} ${sequenceOptions(sequence).replace(/^AS \S+ /, "")})`;
      line += ` GENERATED ${c.identity === "a" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${options}`;
    } else if (c.generated === "s" && c.generationExpression !== undefined) {
      line += ` GENERATED ALWAYS AS (${c.generationExpression}) STORED`;
    } else if (c.defaultExpression !== undefined) {
      line += ` DEFAULT ${c.defaultExpression}`;
    }
    if (c.notNull) line += " NOT NULL";
    return line;
  });
  for (const check of table.constraints) {
    if (check.type === "c" && check.validated) {
      lines.push(`CONSTRAINT ${quoteIdentifier(check.name)} ${check.definition}`);
    }
  }
  const options = table.options === null ? "" : ` WITH (${table.options.join(", ")})`;
  return {
    sql: `CREATE ${table.unlogged ? "UNLOGGED " : ""}TABLE ${qualifiedName(table.schema, table.name)} (\n  ${lines.join(",\n  ")}\n)${options}`,
    what: `table ${table.schema}.${table.name}`,
  };
}

/** `ALTER SEQUENCE … OWNED BY`, once the tables exist. */
export function sequenceOwnershipStatements(
  catalog: PostgresCatalog,
  tableNames: Map<number, CatalogTable>,
): DdlStatement[] {
  const out: DdlStatement[] = [];
  for (const s of catalog.sequences) {
    if (s.identity || s.ownedBy === undefined) continue;
    const table = tableNames.get(s.ownedBy.tableOid);
    if (table === undefined) continue;
    out.push({
      sql: `ALTER SEQUENCE ${qualifiedName(s.schema, s.name)} OWNED BY ${qualifiedName(table.schema, table.name)}.${quoteIdentifier(s.ownedBy.column)}`,
      what: `sequence ${s.schema}.${s.name}`,
    });
  }
  return out;
}

/**
 * The index build for a key or a plain index, after the data. Primary key and unique indexes
 * are built with CREATE UNIQUE INDEX, so that all of a table's indexes build side by side;
 * `keyStatements` then attaches them (`ADD CONSTRAINT … USING INDEX`). An exclusion
 * constraint builds its own index: none here.
 */
export function indexStatement(
  table: { schema: string; name: string },
  index: CatalogIndex,
  constraint: CatalogConstraint | undefined,
): DdlStatement | undefined {
  if (constraint?.type === "x") return undefined;
  return { sql: index.definition, what: `index ${index.name} on ${table.schema}.${table.name}` };
}

/** The table's keys on their built indexes, its exclusion constraints, and its NOT VALID checks. */
export function keyStatements(table: CatalogTable): DdlStatement[] {
  const target = qualifiedName(table.schema, table.name);
  const out: DdlStatement[] = [];
  for (const constraint of table.constraints) {
    const what = `constraint ${constraint.name} on ${table.schema}.${table.name}`;
    const index = table.indexes.find((i) => i.oid === constraint.indexOid);
    if ((constraint.type === "p" || constraint.type === "u") && index?.valid === true) {
      const kind = constraint.type === "p" ? "PRIMARY KEY" : "UNIQUE";
      const timing = constraint.deferrable
        ? ` DEFERRABLE INITIALLY ${constraint.deferred ? "DEFERRED" : "IMMEDIATE"}`
        : "";
      out.push({
        sql: `ALTER TABLE ${target} ADD CONSTRAINT ${quoteIdentifier(constraint.name)} ${kind} USING INDEX ${quoteIdentifier(index.name)}${timing}`,
        what,
      });
    } else if (constraint.type === "x" || (constraint.type === "c" && !constraint.validated)) {
      out.push(addConstraintStatement(table, constraint));
    }
  }
  return out;
}

/** A foreign key or a NOT VALID check, added once the data (and the referenced key) is there. */
export function addConstraintStatement(
  table: { schema: string; name: string },
  constraint: CatalogConstraint,
): DdlStatement {
  return {
    sql: `ALTER TABLE ${qualifiedName(table.schema, table.name)} ADD CONSTRAINT ${quoteIdentifier(constraint.name)} ${constraint.definition}`,
    what: `constraint ${constraint.name} on ${table.schema}.${table.name}`,
  };
}

/** Triggers come after the data, so COPY does not fire them. */
export function triggerStatements(table: CatalogTable): DdlStatement[] {
  const target = qualifiedName(table.schema, table.name);
  const out: DdlStatement[] = [];
  for (const trigger of table.triggers) {
    const what = `trigger ${trigger.name} on ${table.schema}.${table.name}`;
    out.push({ sql: trigger.definition, what });
    const state = { D: "DISABLE", R: "ENABLE REPLICA", A: "ENABLE ALWAYS" }[trigger.enabled];
    if (state !== undefined)
      out.push({ sql: `ALTER TABLE ${target} ${state} TRIGGER ${quoteIdentifier(trigger.name)}`, what });
  }
  return out;
}

/** Views in an order where each comes after the views it reads; materialized ones filled from the copied data. */
export function viewStatements(views: readonly CatalogView[]): DdlStatement[] {
  const out: DdlStatement[] = [];
  for (const view of orderViews(views)) {
    const name = qualifiedName(view.schema, view.name);
    const options = view.options === null ? "" : ` WITH (${view.options.join(", ")})`;
    const body = view.definition.trim().replace(/;$/, "");
    const what = `${view.materialized ? "materialized view" : "view"} ${view.schema}.${view.name}`;
    out.push({
      sql: view.materialized
        ? `CREATE MATERIALIZED VIEW ${name}${options} AS ${body} WITH DATA`
        : `CREATE VIEW ${name}${options} AS ${body}`,
      what,
    });
    for (const index of view.indexes)
      out.push({ sql: index.definition, what: `index ${index.name} on ${view.schema}.${view.name}` });
  }
  return out;
}

function orderViews(views: readonly CatalogView[]): CatalogView[] {
  const byOid = new Map(views.map((v) => [v.oid, v]));
  const done = new Set<number>();
  const out: CatalogView[] = [];
  const visit = (view: CatalogView, path: Set<number>) => {
    if (done.has(view.oid) || path.has(view.oid)) return;
    path.add(view.oid);
    for (const oid of view.dependsOn) {
      const dependency = byOid.get(oid);
      if (dependency !== undefined) visit(dependency, path);
    }
    done.add(view.oid);
    out.push(view);
  };
  for (const view of views) visit(view, new Set());
  return out;
}

/** `setval` for every sequence, to where the source's stands. */
export function sequenceValueStatements(
  sequences: readonly CatalogSequence[],
  values: ReadonlyMap<number, SequenceValue>,
): DdlStatement[] {
  const out: DdlStatement[] = [];
  for (const s of sequences) {
    const value = values.get(s.oid);
    if (value === undefined) continue;
    out.push({
      sql: `SELECT pg_catalog.setval(${quoteLiteral(qualifiedName(s.schema, s.name))}, ${value.lastValue}, ${value.isCalled})`,
      what: `sequence ${s.schema}.${s.name}`,
    });
  }
  return out;
}

/** COMMENT ON every cloned object that has one. */
export function commentStatements(
  catalog: PostgresCatalog,
  tables: readonly CatalogTable[],
  views: readonly CatalogView[],
): DdlStatement[] {
  const out: DdlStatement[] = [];
  for (const s of catalog.schemas)
    out.push(...commentOn(`SCHEMA ${quoteIdentifier(s.name)}`, s.comment, `schema ${s.name}`));
  for (const t of [...catalog.enums, ...catalog.composites]) {
    out.push(
      ...commentOn(`TYPE ${qualifiedName(t.schema, t.name)}`, t.comment, `type ${t.schema}.${t.name}`),
    );
  }
  for (const d of catalog.domains) {
    out.push(
      ...commentOn(`DOMAIN ${qualifiedName(d.schema, d.name)}`, d.comment, `domain ${d.schema}.${d.name}`),
    );
  }
  for (const f of catalog.functions) {
    out.push(
      ...commentOn(
        `${f.isProcedure ? "PROCEDURE" : "FUNCTION"} ${f.signature}`,
        f.comment,
        `function ${f.signature}`,
      ),
    );
  }
  for (const s of catalog.sequences) {
    out.push(
      ...commentOn(
        `SEQUENCE ${qualifiedName(s.schema, s.name)}`,
        s.comment,
        `sequence ${s.schema}.${s.name}`,
      ),
    );
  }
  for (const t of tables) {
    const name = qualifiedName(t.schema, t.name);
    const what = `table ${t.schema}.${t.name}`;
    out.push(...commentOn(`TABLE ${name}`, t.comment, what));
    for (const c of t.columns)
      out.push(...commentOn(`COLUMN ${name}.${quoteIdentifier(c.name)}`, c.comment, what));
    for (const c of t.constraints) {
      out.push(...commentOn(`CONSTRAINT ${quoteIdentifier(c.name)} ON ${name}`, c.comment, what));
    }
    for (const i of t.indexes) {
      if (i.constraintOid === undefined && i.valid) {
        out.push(...commentOn(`INDEX ${qualifiedName(t.schema, i.name)}`, i.comment, what));
      }
    }
    for (const trigger of t.triggers) {
      out.push(...commentOn(`TRIGGER ${quoteIdentifier(trigger.name)} ON ${name}`, trigger.comment, what));
    }
  }
  for (const v of views) {
    const name = qualifiedName(v.schema, v.name);
    const what = `view ${v.schema}.${v.name}`;
    out.push(...commentOn(`${v.materialized ? "MATERIALIZED VIEW" : "VIEW"} ${name}`, v.comment, what));
    for (const c of v.columnComments)
      out.push(...commentOn(`COLUMN ${name}.${quoteIdentifier(c.column)}`, c.comment, what));
  }
  return out;
}
