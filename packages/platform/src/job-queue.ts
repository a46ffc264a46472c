import type { Kysely, Selectable } from "kysely";
import type { JobsTable, StoreTables } from "./store-tables.js";

export type JobRow = Selectable<JobsTable>;

export type EnqueueOutcome =
  | { readonly ok: true; readonly job: JobRow }
  | { readonly ok: false; readonly reason: "busy" };

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";

/**
 * Queues a sync of a connection. A connection with a live job (pending, running) gets
 * `{ ok: false, reason: "busy" }`: a unique index decides, so two servers cannot both win.
 * Example: `await enqueueSync(db, connectionId)`.
 */
export async function enqueueSync(db: Kysely<StoreTables>, connectionId: string): Promise<EnqueueOutcome> {
  try {
    const job = await db
      .insertInto("jobs")
      .values({ connection_id: connectionId, job_type: "sync", status: "pending" })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ok: true, job };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "busy" };
    throw error;
  }
}

/**
 * Takes the oldest pending job for a worker; `FOR UPDATE SKIP LOCKED` lets any number of
 * workers poll one Postgres without taking the same job. Example: `await claimNextJob(db, "w1")`.
 */
export async function claimNextJob(db: Kysely<StoreTables>, workerId: string): Promise<JobRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const next = await trx
      .selectFrom("jobs")
      .select("id")
      .where("status", "=", "pending")
      .orderBy("id")
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (next === undefined) return undefined;
    const now = new Date();
    return trx
      .updateTable("jobs")
      .set({ status: "running", worker_id: workerId, started_at: now, updated_at: now })
      .where("id", "=", next.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export type CancelOutcome =
  | { readonly ok: true; readonly job: JobRow; readonly wasRunning: boolean }
  | { readonly ok: false; readonly reason: "not-found" | "not-running" };

/**
 * Cancels a job: a pending one at once, a running one by flagging it for its worker.
 * Example: `await cancelJob(db, 12)`.
 */
export async function cancelJob(db: Kysely<StoreTables>, jobId: number): Promise<CancelOutcome> {
  const job = await db.selectFrom("jobs").selectAll().where("id", "=", jobId).executeTakeFirst();
  if (job === undefined) return { ok: false, reason: "not-found" };
  const now = new Date();
  if (job.status === "pending") {
    const done = await db
      .updateTable("jobs")
      .set({ status: "cancelled", cancel_requested: true, updated_at: now, ended_at: now })
      .where("id", "=", jobId)
      .where("status", "=", "pending")
      .returningAll()
      .executeTakeFirst();
    if (done !== undefined) return { ok: true, job: done, wasRunning: false };
  }
  const flagged = await db
    .updateTable("jobs")
    .set({ cancel_requested: true, updated_at: now })
    .where("id", "=", jobId)
    .where("status", "in", ["running", "incomplete"])
    .returningAll()
    .executeTakeFirst();
  return flagged === undefined
    ? { ok: false, reason: "not-running" }
    : { ok: true, job: flagged, wasRunning: true };
}
