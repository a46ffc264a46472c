import type pg from "pg";
import type { CatalogTable, PostgresCatalog } from "./catalog-types.js";
import type { CloneConfig } from "./clone-config.js";
import { type PreparedClone, prepareClone } from "./clone-planning.js";
import type {
  CloneFailure,
  CloneOutcome,
  ClonePhase,
  CloneProgress,
  CloneReport,
  TableProgress,
} from "./clone-report.js";
import { runDataPhase, type TableCounters } from "./clone-scheduler.js";
import { abortFor, CloneAbort, CloneSessions, configAbort } from "./clone-sessions.js";
import { dropStatements, type ExistingObject, findExistingObjects } from "./existing-objects.js";
import { listUserSchemas, readPostgresCatalog } from "./postgres-catalog.js";
import {
  commentStatements,
  createTableStatement,
  type DdlStatement,
  schemaStatements,
  sequenceOwnershipStatements,
  sequenceStatements,
  sequenceValueStatements,
  triggerStatements,
  typeAndFunctionStatements,
  viewStatements,
} from "./postgres-ddl.js";
import { readSequenceValues } from "./sequence-values.js";
import { selectTables, type TableSelection } from "./table-selection.js";

/** How `runClone` reports and can be stopped. */
export interface CloneRunOptions {
  /** Plan only: read the source, print what would be copied, touch nothing in the destination. */
  readonly dryRun?: boolean;
  /** Aborting stops the clone: every session is closed. */
  readonly signal?: AbortSignal;
  /** Called every `progressIntervalMs` (default 250) and when the phase changes. */
  readonly onProgress?: (progress: CloneProgress) => void;
  readonly progressIntervalMs?: number;
  /** Steps worth a line in a log: `subset: public.users: 200 start rows`. */
  readonly onLog?: (message: string) => void;
  /** Where relative javascript mapper modules are found (the clone file's folder). */
  readonly baseDirectory?: string;
}

// Statements that failed because something they need is created later are tried again.
const RETRY_CODES = new Set(["42704", "42883", "42P01", "3F000", "42P17"]);

/**
 * Clones a Postgres database into another: schema, data (masked and subset as configured),
 * then keys, indexes, foreign keys, views, triggers, sequence values and comments. Expected
 * failures are values. Example:
 * `const outcome = await runClone(CloneConfig.parse(yaml), { onProgress: draw })`.
 */
export async function runClone(config: CloneConfig, options: CloneRunOptions = {}): Promise<CloneOutcome> {
  const started = performance.now();
  if (config.source.connector !== "postgres" || config.destination.connector !== "postgres") {
    return {
      ok: false,
      failure: {
        type: "config_error",
        origin: "config",
        message: "weir clone copies Postgres into Postgres for now (mysql is not supported yet)",
      },
      report: { dryRun: options.dryRun === true, plan: undefined, tables: [], durationMs: 0, phaseMs: {} },
    };
  }
  const sessions = new CloneSessions(
    { source: config.source.config, destination: config.destination.config },
    "weir clone",
  );
  const phaseMs: Record<string, number> = {};
  let phase: ClonePhase = "connecting";
  let phaseStarted = started;
  let prepared: PreparedClone | undefined;
  const counters = new Map<number, TableCounters>();
  const tableList: CatalogTable[] = [];

  const snapshot = (): TableProgress[] =>
    prepared === undefined
      ? []
      : tableList.map((table, i) => {
          const planned = prepared?.plan.tables[i];
          const counter = counters.get(table.oid);
          return {
            schema: table.schema,
            name: table.name,
            status: counter?.status ?? "waiting",
            rows: counter?.rows ?? 0,
            estimatedRows: planned?.estimatedRows ?? -1,
            bytes: counter?.bytes ?? 0,
            parts: planned?.parts ?? 1,
            partsDone: counter?.partsDone ?? 0,
            masked: (planned?.masked.length ?? 0) > 0,
          };
        });
  const emit = () =>
    options.onProgress?.({ phase, elapsedMs: performance.now() - started, tables: snapshot() });
  const enter = (next: ClonePhase) => {
    const now = performance.now();
    phaseMs[phase] = (phaseMs[phase] ?? 0) + Math.round(now - phaseStarted);
    phase = next;
    phaseStarted = now;
    emit();
  };
  const timer =
    options.onProgress === undefined ? undefined : setInterval(emit, options.progressIntervalMs ?? 250);
  timer?.unref();
  let stopped = false;
  const onAbort = () => {
    stopped = true;
    void sessions.closeAll();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const report = (): CloneReport => ({
    dryRun: options.dryRun === true,
    plan: prepared?.plan,
    tables: snapshot(),
    durationMs: Math.round(performance.now() - started),
    phaseMs,
  });

  try {
    if (options.signal?.aborted) throw new CloneAbort(stoppedFailure());
    const planner = await sessions.open("source");
    const exported = await sourceStep("Starting a snapshot of the source", async () => {
      await planner.query(
        `BEGIN ISOLATION LEVEL REPEATABLE READ${config.subset === undefined ? " READ ONLY" : ""}`,
      );
      const result = await planner.query<{ id: string }>("SELECT pg_catalog.pg_export_snapshot() AS id");
      return result.rows[0]?.id as string;
    });
    enter("planning");
    const whole = await sourceStep("Reading the source's catalog", async () =>
      readPostgresCatalog(planner, await chooseSchemas(planner, config)),
    );
    const selection = selectTables(whole, config);
    if (!selection.ok) throw configAbort(selection.message);
    // A serial or identity sequence goes with its table: none for a table left out.
    const cloned = new Set(selection.value.tables.map((t) => t.oid));
    const catalog: PostgresCatalog = {
      ...whole,
      sequences: whole.sequences.filter((s) => s.ownedBy === undefined || cloned.has(s.ownedBy.tableOid)),
    };
    const planned = await sourceStep("Planning the clone", () =>
      prepareClone(planner, catalog, selection.value, config, {
        source: sessions.describe("source"),
        destination: sessions.describe("destination"),
        baseDirectory: options.baseDirectory,
        onStep: (message) => options.onLog?.(`subset: ${message}`),
        dryRun: options.dryRun === true,
      }),
    );
    if (!planned.ok) {
      const cause = planned.problem.cause as { message?: string } | undefined;
      throw new CloneAbort({
        type: "config_error",
        origin: "config",
        message: planned.problem.message,
        ...(cause?.message === undefined ? {} : { internalMessage: cause.message }),
      });
    }
    prepared = planned.value;
    tableList.push(...selection.value.tables);
    for (const table of tableList)
      counters.set(table.oid, { status: "waiting", rows: 0, bytes: 0, partsDone: 0 });
    for (const masking of prepared.masking.values()) {
      const ready = await masking.mappers.ready();
      if (!ready.ok) throw configAbort(`masking: ${ready.failure.message}`);
    }
    if (options.dryRun === true) {
      enter("done");
      return { ok: true, report: report() };
    }
    const sequenceValues = await sourceStep("Reading sequence values", () =>
      readSequenceValues(planner, catalog.sequences),
    );

    enter("schema");
    const control = await sessions.open("destination", { check_function_bodies: "off" });
    await checkExisting(control, catalog, selection.value, config.on_existing ?? "fail");
    await runStatements(control, schemaStatements(catalog));
    await runInPasses(control, typeAndFunctionStatements(catalog));
    await runStatements(control, sequenceStatements(catalog));
    await runStatements(
      control,
      selection.value.tables.map((t) => createTableStatement(t, catalog)),
    );
    const tablesByOid = new Map(selection.value.tables.map((t) => [t.oid, t]));
    await runStatements(control, sequenceOwnershipStatements(catalog, tablesByOid));

    enter("copying");
    await runDataPhase({
      tables: selection.value.tables,
      jobs: prepared.jobs,
      foreignKeys: selection.value.foreignKeys,
      counters,
      sessions,
      snapshot: exported,
      planner,
      parallel: config.parallel ?? 4,
    });

    enter("finishing");
    await runStatements(control, viewStatements(selection.value.views));
    await runStatements(control, selection.value.tables.flatMap(triggerStatements));
    await runStatements(control, sequenceValueStatements(catalog.sequences, sequenceValues));
    await runStatements(control, commentStatements(catalog, selection.value.tables, selection.value.views));
    enter("done");
    return { ok: true, report: report() };
  } catch (error) {
    // A database error that reached here unwrapped is still the database's answer, not a bug.
    if (!stopped && !(error instanceof CloneAbort) && (error as { code?: unknown })?.code === undefined)
      throw error;
    const failure = stopped
      ? stoppedFailure()
      : error instanceof CloneAbort
        ? error.failure
        : unexpected(error);
    for (const counter of counters.values()) if (counter.status !== "done") counter.status = "failed";
    return { ok: false, failure, report: report() };
  } finally {
    if (timer !== undefined) clearInterval(timer);
    options.signal?.removeEventListener("abort", onAbort);
    await sessions.closeAll();
    if (prepared !== undefined)
      await Promise.all([...prepared.masking.values()].map((m) => m.mappers.close()));
  }
}

const stoppedFailure = (): CloneFailure => ({
  type: "transient_error",
  origin: "platform",
  message: "the clone was stopped before it finished; the destination holds a partial copy",
});

function unexpected(error: unknown): CloneFailure {
  return {
    type: "system_error",
    origin: "platform",
    message: `${(error as Error)?.message ?? String(error)}`,
  };
}

async function sourceStep<T>(context: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw abortFor("source", context, error);
  }
}

async function chooseSchemas(client: pg.Client, config: CloneConfig) {
  const all = await listUserSchemas(client);
  const wanted = config.source.config.schemas;
  if (wanted === undefined) return all;
  const missing = wanted.filter((name) => !all.some((s) => s.name === name));
  if (missing.length > 0) {
    throw configAbort(
      `source.config.schemas: ${missing.map((m) => JSON.stringify(m)).join(", ")} not found in the source; its schemas are ${all
        .map((s) => s.name)
        .join(", ")}`,
    );
  }
  return all.filter((s) => wanted.includes(s.name));
}

/** Stops before creating anything when an object to create is already there, or drops those objects (on_existing: drop). */
async function checkExisting(
  control: pg.Client,
  catalog: PostgresCatalog,
  selection: TableSelection,
  mode: "fail" | "drop",
): Promise<void> {
  let existing: ExistingObject[];
  try {
    existing = await findExistingObjects(control, catalog, selection.tables, selection.views);
  } catch (error) {
    throw abortFor("destination", "Looking for existing objects in the destination", error);
  }
  if (mode === "drop") {
    await runStatements(control, dropStatements(existing, catalog));
    return;
  }
  if (existing.length > 0) {
    const shown = existing.slice(0, 5).map((o) => `${o.kind} ${o.schema}.${o.name}`);
    const more = existing.length > 5 ? ` and ${existing.length - 5} more` : "";
    throw new CloneAbort({
      type: "config_error",
      origin: "destination",
      message:
        `the destination already has ${shown.join(", ")}${more}: clone into an empty database, ` +
        "or set on_existing: drop to drop them first",
    });
  }
}

async function runStatements(client: pg.Client, statements: readonly DdlStatement[]): Promise<void> {
  for (const statement of statements) {
    try {
      await client.query(statement.sql);
    } catch (error) {
      throw destinationFailure(statement, error);
    }
  }
}

/** Runs statements that may depend on each other in an unknown order: what fails for a missing object is tried again. */
async function runInPasses(client: pg.Client, statements: readonly DdlStatement[]): Promise<void> {
  let left = [...statements];
  while (left.length > 0) {
    const failed: { statement: DdlStatement; error: unknown }[] = [];
    for (const statement of left) {
      try {
        await client.query(statement.sql);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === undefined || !RETRY_CODES.has(code)) throw destinationFailure(statement, error);
        failed.push({ statement, error });
      }
    }
    if (failed.length === left.length) {
      const first = failed[0] as { statement: DdlStatement; error: unknown };
      throw destinationFailure(first.statement, first.error);
    }
    left = failed.map((f) => f.statement);
  }
}

function destinationFailure(statement: DdlStatement, error: unknown): CloneAbort {
  const code = (error as { code?: string }).code;
  if (code === "42P07" || code === "42710") {
    return new CloneAbort({
      type: "config_error",
      origin: "destination",
      message: `Creating ${statement.what} in the destination: ${(error as Error).message}; clone into an empty database, or set on_existing: drop`,
    });
  }
  return abortFor("destination", `Creating ${statement.what} in the destination`, error);
}
