import type { MapperConfig } from "@weir/mappers";
import { qualifiedName, quoteIdentifier } from "@weir/postgres-connection";
import type pg from "pg";
import type { CatalogTable, PostgresCatalog } from "./catalog-types.js";
import { type CloneConfig, parseByteSize } from "./clone-config.js";
import type { ClonePlan, PlannedTable } from "./clone-report.js";
import { type ColumnMasking, propagateMasking } from "./mask-propagation.js";
import { keptRowsCondition, planSubset, type SubsetSelection, type SubsetStartTable } from "./subset-plan.js";
import { binarySafe, type CopyJob } from "./table-copy.js";
import { compileTableMasking, type TableMasking } from "./table-masking.js";
import { displayTableName, resolveTableReference } from "./table-reference.js";
import type { TableSelection } from "./table-selection.js";

/** Everything decided before the destination is touched. */
export interface PreparedClone {
  readonly selection: TableSelection;
  readonly masking: ReadonlyMap<number, TableMasking>;
  readonly jobs: ReadonlyMap<number, readonly CopyJob[]>;
  readonly plan: ClonePlan;
}

/** A problem with the clone file or the source's data, found while planning. */
export interface PlanningProblem {
  readonly message: string;
  /** A database error behind it (a subset's where that does not parse). */
  readonly cause?: unknown;
}

const DEFAULT_SPLIT_BYTES = 1024 * 1024 * 1024;
const MAX_PARTS = 16;
const INTEGER_TYPES = new Set(["int2", "int4", "int8"]);
// Tables this small are counted exactly when never analyzed: their estimate would be -1.
const COUNT_BELOW_BYTES = 64 * 1024 * 1024;

/**
 * Resolves masking and the subset against the catalog, compiles the mappers, and splits the
 * work into COPY jobs. Runs in the source's snapshot; the subset's kept keys go into temporary
 * tables of this session. Example: `await prepareClone(client, catalog, selection, config, endpoints)`.
 */
export async function prepareClone(
  client: pg.Client,
  catalog: PostgresCatalog,
  selection: TableSelection,
  config: CloneConfig,
  context: {
    readonly source: string;
    readonly destination: string;
    readonly baseDirectory: string | undefined;
    readonly onStep: (message: string) => void;
    /** A dry run counts the rows of never-analyzed small tables (a clone does not lock them). */
    readonly dryRun: boolean;
  },
): Promise<{ ok: true; value: PreparedClone } | { ok: false; problem: PlanningProblem }> {
  const notes = [...catalog.skipped, ...selection.notes];
  const fail = (message: string, cause?: unknown) => ({ ok: false as const, problem: { message, cause } });
  const { tables } = selection;

  const userMappers = new Map<number, MapperConfig[]>();
  for (const [reference, mappers] of Object.entries(config.masking ?? {})) {
    const found = resolveTableReference(reference, catalog.tables);
    if (!found.ok) return fail(`masking: ${found.message}`);
    if (!tables.includes(found.value)) {
      notes.push(`masking: ${displayTableName(found.value)} is not cloned; its mappers are not used`);
      continue;
    }
    userMappers.set(found.value.oid, [...(userMappers.get(found.value.oid) ?? []), ...mappers]);
  }
  const propagated = propagateMasking(
    tables,
    userMappers,
    selection.foreignKeys.map((fk) => ({
      table: fk.table,
      constraintOid: fk.constraint.oid,
    })),
  );
  if (!propagated.ok) return fail(`masking: ${propagated.message}`);
  const masking = new Map<number, TableMasking>();
  for (const table of tables) {
    const mappers = propagated.value.mappers.get(table.oid);
    if (mappers === undefined) continue;
    const compiled = compileTableMasking(table, copyColumns(table), mappers, context.baseDirectory);
    if (!compiled.ok) return fail(`masking: ${compiled.message}`);
    masking.set(table.oid, compiled.value);
  }

  let selections = new Map<number, SubsetSelection>();
  if (config.subset !== undefined) {
    const starts: SubsetStartTable[] = [];
    for (const [i, start] of config.subset.start.entries()) {
      const found = resolveTableReference(start.table, tables);
      if (!found.ok) return fail(`subset.start[${i}]: ${found.message}`);
      starts.push({
        table: found.value,
        percent: start.percent,
        where: start.where,
        label: `subset.start[${i}]`,
      });
    }
    const planned = await planSubset(client, tables, selection.edges, starts, config.subset, context.onStep);
    if (!planned.ok) return fail(planned.message, planned.cause);
    selections = planned.value;
  }

  const splitBytes = parseByteSize(config.split_tables_larger_than ?? DEFAULT_SPLIT_BYTES);
  const parallel = config.parallel ?? 4;
  const jobs = new Map<number, CopyJob[]>();
  const planned: PlannedTable[] = [];
  for (const table of tables) {
    const chosen = selections.get(table.oid) ?? { mode: "full" as const };
    const copied = copyColumns(table);
    const tableMasking = masking.get(table.oid);
    const base = {
      schema: table.schema,
      name: table.name,
      columns: copied.map((c) => c.name),
      masking: tableMasking,
      format:
        tableMasking === undefined
          ? copied.every(binarySafe)
            ? ("binary" as const)
            : ("text" as const)
          : tableMasking.spec.format,
    };
    let tableJobs: CopyJob[] = [];
    let estimatedRows = -1;
    if (chosen.mode === "keep") {
      tableJobs = [{ ...base, condition: keptRowsCondition(chosen), whole: true, readsKeptKeys: true }];
      estimatedRows = chosen.rows;
    } else if (chosen.mode === "full") {
      estimatedRows = await estimateRows(client, table, context.dryRun);
      const parts =
        splitBytes > 0 && table.bytes > splitBytes
          ? Math.min(MAX_PARTS, Math.ceil(table.bytes / splitBytes), parallel * 4)
          : 1;
      const conditions = parts > 1 ? await splitConditions(client, table, parts, catalog.serverVersion) : [];
      tableJobs =
        conditions.length > 1
          ? conditions.map((condition) => ({ ...base, condition, whole: false, readsKeptKeys: false }))
          : [{ ...base, condition: undefined, whole: true, readsKeptKeys: false }];
    } else {
      estimatedRows = 0;
    }
    jobs.set(table.oid, tableJobs);
    planned.push({
      schema: table.schema,
      name: table.name,
      rows: chosen.mode === "keep" ? "subset" : chosen.mode === "full" ? "all" : "empty",
      estimatedRows,
      bytes: table.bytes,
      parts: tableJobs.length,
      masked: (propagated.value.columns.get(table.oid) ?? []).map((c: ColumnMasking) => ({
        column: c.column,
        mappers: c.mappers.map((m) => m.type),
        from: c.from,
      })),
      subsetReason: chosen.mode === "keep" ? chosen.reason : undefined,
    });
  }
  const views = selection.views;
  const plan: ClonePlan = {
    source: context.source,
    destination: context.destination,
    schemas: catalog.schemas.map((s) => s.name),
    tables: planned,
    counts: {
      views: views.filter((v) => !v.materialized).length,
      materializedViews: views.filter((v) => v.materialized).length,
      sequences: catalog.sequences.length,
      enums: catalog.enums.length,
      domains: catalog.domains.length,
      compositeTypes: catalog.composites.length,
      functions: catalog.functions.length,
      indexes: tables.reduce((n, t) => n + t.indexes.filter((i) => i.valid).length, 0),
      foreignKeys: selection.foreignKeys.length,
      triggers: tables.reduce((n, t) => n + t.triggers.length, 0),
    },
    notes,
  };
  return { ok: true, value: { selection, masking, jobs, plan } };
}

/** The columns a COPY moves: all but stored generated columns, which the destination computes. */
export function copyColumns(table: CatalogTable) {
  return table.columns.filter((c) => c.generated === "");
}

async function estimateRows(client: pg.Client, table: CatalogTable, count: boolean): Promise<number> {
  if (table.estimatedRows >= 0) return Math.round(table.estimatedRows);
  if (!count || table.bytes > COUNT_BELOW_BYTES) return -1;
  const counted = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${qualifiedName(table.schema, table.name)}`,
  );
  return Number(counted.rows[0]?.n ?? 0);
}

/**
 * Conditions cutting a big table into `parts` ranges of about as many rows: by its integer
 * primary key, at quantiles of the key's histogram in pg_stats, else, on Postgres 14 and
 * later, by page ranges (a ctid range scan reads only its pages). Neither takes a lock. The
 * first and last ranges are open, so no row is missed.
 */
async function splitConditions(
  client: pg.Client,
  table: CatalogTable,
  parts: number,
  serverVersion: number,
): Promise<string[]> {
  const primary = table.constraints.find((c) => c.type === "p");
  const keyColumn =
    primary?.columns.length === 1 ? table.columns.find((c) => c.name === primary.columns[0]) : undefined;
  if (keyColumn !== undefined && INTEGER_TYPES.has(keyColumn.baseType)) {
    const stats = await client.query<{ bounds: string | null }>(
      `SELECT histogram_bounds::text AS bounds FROM pg_catalog.pg_stats
        WHERE schemaname = $1 AND tablename = $2 AND attname = $3 AND NOT inherited`,
      [table.schema, table.name, keyColumn.name],
    );
    const bounds = (stats.rows[0]?.bounds ?? "")
      .replace(/[{}]/g, "")
      .split(",")
      .filter((b) => /^-?\d+$/.test(b));
    if (bounds.length > parts) {
      const key = `t.${quoteIdentifier(keyColumn.name)}`;
      const cuts = [
        ...new Set(
          Array.from(
            { length: parts - 1 },
            (_, i) => bounds[Math.round(((i + 1) * (bounds.length - 1)) / parts)] as string,
          ),
        ),
      ];
      return ranges(
        cuts,
        (at) => `${key} >= ${at}`,
        (at) => `${key} < ${at}`,
      );
    }
  }
  if (serverVersion >= 140_000 && table.pages > parts) {
    const cuts = Array.from({ length: parts - 1 }, (_, i) => Math.floor((table.pages * (i + 1)) / parts));
    return ranges(
      cuts.map(String),
      (at) => `t.ctid >= '(${at},0)'::pg_catalog.tid`,
      (at) => `t.ctid < '(${at},0)'::pg_catalog.tid`,
    );
  }
  return [];
}

function ranges(
  cuts: readonly string[],
  from: (at: string) => string,
  below: (at: string) => string,
): string[] {
  const out: string[] = [];
  for (let i = 0; i <= cuts.length; i++) {
    const start = i === 0 ? undefined : cuts[i - 1];
    const end = cuts[i];
    const parts = [start === undefined ? undefined : from(start), end === undefined ? undefined : below(end)];
    out.push(parts.filter((p) => p !== undefined).join(" AND "));
  }
  return out;
}
