import { qualifiedName } from "@weir/postgres-connection";
import type pg from "pg";
import type { CatalogConstraint, CatalogTable } from "./catalog-types.js";
import { abortFor, CloneAbort, type CloneSessions } from "./clone-sessions.js";
import { MaskingThreadPool } from "./masking-thread-pool.js";
import { addConstraintStatement, type DdlStatement, indexStatement, keyStatements } from "./postgres-ddl.js";
import { CopyError, type CopyJob, copyTableData } from "./table-copy.js";
import { displayTableName } from "./table-reference.js";

/** A table's live counters, updated as its data moves. */
export interface TableCounters {
  status: "waiting" | "copying" | "indexing" | "done" | "failed";
  rows: number;
  bytes: number;
  partsDone: number;
}

/** What the data phase needs: tables, their jobs, and where to run them. */
export interface DataPhaseInput {
  readonly tables: readonly CatalogTable[];
  readonly jobs: ReadonlyMap<number, readonly CopyJob[]>;
  readonly foreignKeys: readonly { readonly table: CatalogTable; readonly constraint: CatalogConstraint }[];
  readonly counters: ReadonlyMap<number, TableCounters>;
  readonly sessions: CloneSessions;
  /** The snapshot every source session reads. */
  readonly snapshot: string;
  /** The planning session: it holds the subset's kept keys, so subset tables are copied through it. */
  readonly planner: pg.Client;
  readonly parallel: number;
}

/** A post-data job: a table's index, its keys on them, a foreign key, an ANALYZE. */
interface PostJob {
  readonly table: CatalogTable;
  readonly kind: "index" | "keys" | "foreign key" | "analyze";
  readonly statements: readonly DdlStatement[];
}

/** A queue that workers wait on until it is closed. */
class WorkQueue<T> {
  readonly #items: T[] = [];
  readonly #waiting: ((item: T | undefined) => void)[] = [];
  #closed = false;

  push(item: T): void {
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter(item);
    else this.#items.push(item);
  }

  take(): Promise<T | undefined> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter(undefined);
  }
}

// Index builds sort in memory rather than on disk, foreign key checks hash rather than spill:
// the destination's memory, not weir's.
const MASKING_THREADS_ABOVE_BYTES = 32 * 1024 * 1024;
const INDEX_SESSION_SETTINGS = {
  maintenance_work_mem: "256MB",
  work_mem: "128MB",
  synchronous_commit: "off",
};
const COPY_SESSION_SETTINGS = { synchronous_commit: "off" };

/**
 * Copies every table's data and builds its indexes, keys and foreign keys after it: `parallel`
 * COPY lanes (each a source session in the snapshot and a destination session) take the jobs
 * biggest first; as soon as all parts of a table are in, its indexes are built by `parallel`
 * index sessions while other tables still copy; a foreign key is added once both its tables
 * are indexed; each table is analyzed last. The first failure stops everything.
 */
export async function runDataPhase(input: DataPhaseInput): Promise<void> {
  const { tables, jobs, counters, sessions } = input;
  // Masking a big table takes more CPU than Postgres spends on its COPY: worker threads spread
  // it over every core. For small tables, starting them would cost more than it saves.
  const maskedBytes = tables.reduce(
    (n, t) => n + ((jobs.get(t.oid) ?? [])[0]?.masking === undefined ? 0 : t.bytes),
    0,
  );
  const pool = maskedBytes >= MASKING_THREADS_ABOVE_BYTES ? new MaskingThreadPool() : undefined;
  const counterOf = (table: CatalogTable) => counters.get(table.oid) as TableCounters;
  const shared: { table: CatalogTable; job: CopyJob }[] = [];
  const subset: { table: CatalogTable; job: CopyJob }[] = [];
  const remainingParts = new Map<number, number>();
  for (const table of [...tables].sort((a, b) => b.bytes - a.bytes)) {
    const list = jobs.get(table.oid) ?? [];
    remainingParts.set(table.oid, list.length);
    for (const job of list) (job.readsKeptKeys ? subset : shared).push({ table, job });
  }
  const post = new WorkQueue<PostJob>();
  const postJobs = new Map<number, PostJob[]>();
  let totalPost = 0;
  const keyJobs = new Map<number, PostJob>();
  for (const table of tables) {
    const list: PostJob[] = [];
    for (const index of table.indexes) {
      if (!index.valid) continue;
      const statement = indexStatement(
        table,
        index,
        table.constraints.find((c) => c.oid === index.constraintOid),
      );
      if (statement !== undefined) list.push({ table, kind: "index", statements: [statement] });
    }
    postJobs.set(table.oid, list);
    const keys = keyStatements(table);
    if (keys.length > 0) keyJobs.set(table.oid, { table, kind: "keys", statements: keys });
    totalPost += list.length + (keys.length > 0 ? 1 : 0) + 1;
  }
  totalPost += input.foreignKeys.length;
  const remainingIndexes = new Map<number, number>();
  const indexed = new Set<number>();
  const queuedKeys = new Set<number>();
  let donePost = 0;
  let failure: unknown;

  const finishPost = () => {
    donePost++;
    if (donePost === totalPost) post.close();
  };
  const tableIndexed = (table: CatalogTable) => {
    indexed.add(table.oid);
    post.push({
      table,
      kind: "analyze",
      statements: [
        {
          sql: `ANALYZE ${qualifiedName(table.schema, table.name)}`,
          what: `statistics of ${table.schema}.${table.name}`,
        },
      ],
    });
    for (const fk of input.foreignKeys) {
      const parent = fk.constraint.references?.tableOid;
      if (queuedKeys.has(fk.constraint.oid) || parent === undefined) continue;
      if (indexed.has(fk.table.oid) && indexed.has(parent)) {
        queuedKeys.add(fk.constraint.oid);
        post.push({
          table: fk.table,
          kind: "foreign key",
          statements: [addConstraintStatement(fk.table, fk.constraint)],
        });
      }
    }
  };
  // Keys go on once every index of the table is built: ALTER TABLE would wait for the builds.
  const indexesBuilt = (table: CatalogTable) => {
    const keys = keyJobs.get(table.oid);
    if (keys === undefined) tableIndexed(table);
    else post.push(keys);
  };
  const tableCopied = (table: CatalogTable) => {
    counterOf(table).status = "indexing";
    const list = postJobs.get(table.oid) ?? [];
    remainingIndexes.set(table.oid, list.length);
    for (const job of list) post.push(job);
    if (list.length === 0) indexesBuilt(table);
  };
  const stopAll = (error: unknown) => {
    if (failure !== undefined) return;
    failure = error;
    post.close();
    shared.length = 0;
    subset.length = 0;
    void sessions.closeAll();
  };

  const copyOne = async (
    source: pg.Client,
    target: pg.Client,
    { table, job }: { table: CatalogTable; job: CopyJob },
  ) => {
    const counter = counterOf(table);
    counter.status = "copying";
    try {
      await copyTableData(
        source,
        target,
        job,
        (bytes, rows) => {
          counter.bytes += bytes;
          counter.rows += rows;
        },
        pool,
      );
    } catch (error) {
      counter.status = "failed";
      throw copyFailure(table, error);
    }
    counter.partsDone++;
    const left = (remainingParts.get(table.oid) ?? 1) - 1;
    remainingParts.set(table.oid, left);
    if (left === 0) tableCopied(table);
  };

  // Each job reads in a transaction of its own on the clone's snapshot: the lock a COPY takes
  // on its table ends with it, so the source's DDL waits at most for the table being copied.
  const inSnapshot = async (source: pg.Client, sql: string) => {
    try {
      await source.query(sql);
      await source.query(`SET TRANSACTION SNAPSHOT '${input.snapshot}'`);
    } catch (error) {
      throw abortFor("source", "Opening a transaction in the clone's snapshot", error);
    }
  };
  const copyLane = async () => {
    const [source, target] = await Promise.all([
      sessions.open("source"),
      sessions.open("destination", COPY_SESSION_SETTINGS),
    ]);
    await inSnapshot(source, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (let item = shared.shift(); item !== undefined && failure === undefined; item = shared.shift()) {
      await copyOne(source, target, item);
      if (shared.length > 0)
        await inSnapshot(source, "COMMIT; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
  };
  const subsetLane = async () => {
    if (subset.length === 0) return;
    const target = await sessions.open("destination", COPY_SESSION_SETTINGS);
    for (let item = subset.shift(); item !== undefined && failure === undefined; item = subset.shift()) {
      await copyOne(input.planner, target, item);
    }
  };
  const postLane = async () => {
    const target = await sessions.open("destination", INDEX_SESSION_SETTINGS);
    for (let job = await post.take(); job !== undefined && failure === undefined; job = await post.take()) {
      for (const statement of job.statements) {
        try {
          await target.query(statement.sql);
        } catch (error) {
          throw postFailure(statement, error, (jobs.get(job.table.oid) ?? [])[0]?.masking !== undefined);
        }
      }
      const table = job.table;
      if (job.kind === "index") {
        const left = (remainingIndexes.get(table.oid) ?? 1) - 1;
        remainingIndexes.set(table.oid, left);
        if (left === 0) indexesBuilt(table);
      } else if (job.kind === "keys") {
        tableIndexed(table);
      } else if (job.kind === "analyze") {
        counterOf(table).status = "done";
      }
      finishPost();
    }
  };

  const guard = (work: () => Promise<void>) => work().catch((error: unknown) => stopAll(error));
  const copyLanes = Math.max(1, Math.min(input.parallel, shared.length));
  const postLanes = Math.max(1, Math.min(input.parallel, totalPost));
  for (const table of tables) if ((jobs.get(table.oid) ?? []).length === 0) tableCopied(table);
  if (totalPost === 0) post.close();
  try {
    await Promise.all([
      ...Array.from({ length: shared.length === 0 ? 0 : copyLanes }, () => guard(copyLane)),
      guard(subsetLane),
      ...Array.from({ length: postLanes }, () => guard(postLane)),
    ]);
  } finally {
    await pool?.close();
  }
  if (failure !== undefined)
    throw failure instanceof CloneAbort ? failure : abortFor("destination", "Copying data", failure);
}

function postFailure(statement: DdlStatement, error: unknown, masked: boolean): CloneAbort {
  const context = `Creating ${statement.what} in the destination`;
  if (masked && (error as { code?: string }).code === "23505") {
    // The values stay out of the message: they are the data being masked.
    return new CloneAbort({
      type: "config_error",
      origin: "config",
      message:
        `${context}: the masked values are no longer unique (${(error as Error).message}); ` +
        "fakes and masks may give equal outputs for different inputs: mask a unique column with hash",
    });
  }
  return abortFor("destination", context, error);
}

function copyFailure(table: CatalogTable, thrown: unknown): CloneAbort {
  if (thrown instanceof CloneAbort) return thrown;
  const name = displayTableName(table);
  const side = thrown instanceof CopyError ? thrown.side : "destination";
  const error = thrown instanceof CopyError ? thrown.cause : thrown;
  const failure = error as { code?: string; message?: string; failureType?: "config_error" | "system_error" };
  if (failure.failureType !== undefined) {
    return new CloneAbort({ type: failure.failureType, origin: "config", message: String(failure.message) });
  }
  // The snapshot keeps the rows, not the table's definition: a table dropped or changed since
  // the clone began cannot be read any more.
  if (failure.code === "42P01") {
    return new CloneAbort({
      type: "config_error",
      origin: "source",
      message: `Copying ${name}: the table was dropped or renamed in the source while the clone ran (${failure.message}); run the clone again`,
    });
  }
  if (failure.code === "42703") {
    return new CloneAbort({
      type: "config_error",
      origin: "source",
      message: `Copying ${name}: the table's columns changed in the source while the clone ran (${failure.message}); run the clone again`,
    });
  }
  const where = (error as { where?: string }).where;
  return abortFor(side, `Copying ${name}${where === undefined ? "" : ` (${where})`}`, error);
}
