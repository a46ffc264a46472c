import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { AirbyteStateMessage } from "@weir/protocol";
import {
  runSync,
  type StreamRecordMapper,
  type StreamStats,
  type SyncFailure,
  type SyncLogEntry,
} from "@weir/runtime";
import type { Kysely } from "kysely";
import { AttemptLogBuffer } from "./attempt-log-buffer.js";
import { claimNextJob, type JobRow } from "./job-queue.js";
import type { SecretBox } from "./secret-box.js";
import type { JobStatus, StoreTables } from "./store-tables.js";
import { type Prepared, prepareSync, storedStats } from "./sync-preparation.js";

export interface SyncWorkerOptions {
  readonly db: Kysely<StoreTables>;
  readonly box: SecretBox;
  /** How often to look for pending jobs and cancel requests. Default 1000 ms. */
  readonly pollMs?: number;
  /** Jobs run at once by this worker. Default 2. */
  readonly concurrency?: number;
  /** Retry limits and backoff; Airbyte's defaults where not given. */
  readonly retry?: Partial<RetryPolicy>;
}

/** When a failed attempt (transient or system error) is tried again. */
export interface RetryPolicy {
  /** Failed attempts without progress (nothing committed) in a row. Default 5. */
  readonly maxInARowWithoutProgress: number;
  /** Failed attempts without progress in all. Default 10. */
  readonly maxWithoutProgress: number;
  /** Failed attempts that committed something. Default 20. */
  readonly maxWithProgress: number;
  /** Wait after the first failure without progress, tripled after each. Default 10 s. */
  readonly baseDelayMs: number;
  /** Default 30 min. */
  readonly maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = {
  maxInARowWithoutProgress: 5,
  maxWithoutProgress: 10,
  maxWithProgress: 20,
  baseDelayMs: 10_000,
  maxDelayMs: 30 * 60_000,
};

interface AttemptEnd {
  readonly status: "succeeded" | "failed" | "cancelled";
  readonly failure: SyncFailure | undefined;
  readonly streams: readonly StreamStats[];
}

/** A worker that runs queued syncs in this process. */
export interface SyncWorker {
  readonly id: string;
  /** Look for pending jobs now (after a trigger) instead of at the next poll. */
  wake(): void;
  /** Stop a job this worker runs (cancel requests from other processes arrive by polling). */
  cancel(jobId: number): boolean;
  /** Stops taking jobs, cancels the running ones and waits for them to end. */
  stop(): Promise<void>;
}

/**
 * Starts a worker that takes pending jobs from the store and runs them with `runSync`,
 * saving the committed state after each destination echo, per-stream counters, the failure
 * and the attempt's log. Example: `const worker = startSyncWorker({ db, box })`.
 */
export function startSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const { db, box } = options;
  const id = `worker-${randomUUID()}`;
  const pollMs = options.pollMs ?? 1000;
  const concurrency = options.concurrency ?? 2;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  let stopped = false;
  let polling = false;
  let timer: NodeJS.Timeout | undefined;

  const finishAttempt = async (
    attemptId: number,
    status: JobStatus,
    streams: readonly StreamStats[],
    failure: SyncFailure | undefined,
  ): Promise<void> => {
    await db
      .updateTable("attempts")
      .set({
        status,
        ended_at: new Date(),
        streams: JSON.stringify(storedStats(streams)),
        failure_type: failure?.type ?? null,
        failure_origin: failure?.origin ?? null,
        failure_message: failure?.message ?? null,
      })
      .where("id", "=", attemptId)
      .execute();
  };

  const finishJob = async (
    job: JobRow,
    status: JobStatus,
    totals: { rows: number; bytes: number },
    failure: SyncFailure | undefined,
  ): Promise<void> => {
    const now = new Date();
    await db
      .updateTable("jobs")
      .set({
        status,
        updated_at: now,
        ended_at: now,
        rows_synced: totals.rows,
        bytes_synced: totals.bytes,
        failure_type: failure?.type ?? null,
        failure_message: failure?.message ?? null,
      })
      .where("id", "=", job.id)
      .execute();
  };

  /** One attempt: from the connection's committed state, to the end of `runSync`. */
  const runAttempt = async (
    job: JobRow,
    attemptNumber: number,
    controller: AbortController,
  ): Promise<AttemptEnd> => {
    const attempt = await db
      .insertInto("attempts")
      .values({ job_id: job.id, attempt_number: attemptNumber, status: "running", streams: "[]" })
      .returning("id")
      .executeTakeFirstOrThrow();
    let prepared: Prepared;
    try {
      prepared = await prepareSync(db, box, job.connection_id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      prepared = { ok: false, failure: { type: "system_error", origin: "platform", message } };
    }
    if (!prepared.ok) {
      await finishAttempt(attempt.id, "failed", [], prepared.failure);
      return { status: "failed", failure: prepared.failure, streams: [] };
    }
    const logs = new AttemptLogBuffer(db, attempt.id, prepared.mask);
    const note = (level: SyncLogEntry["level"], message: string): void =>
      logs.add({ origin: "platform", level, message, at: Date.now() });
    note(
      "INFO",
      `job ${job.id}, attempt ${attemptNumber}: ${prepared.source.handle.description} → ${prepared.destination.handle.description}, streams ${prepared.catalog.streams
        .map((s) => `${s.stream.name} (${s.sync_mode}/${s.destination_sync_mode})`)
        .join(", ")}`,
    );
    let savedProgress = 0;
    let progressWrite: Promise<unknown> = Promise.resolve();
    const stateRow = await db
      .selectFrom("connection_states")
      .select("state")
      .where("connection_id", "=", job.connection_id)
      .executeTakeFirst();
    const mappers: StreamRecordMapper[] = prepared.mappers.map((compiled) => ({
      stream: { name: compiled.stream.name, namespace: compiled.stream.namespace ?? undefined },
      schema: compiled.schema,
      mapBatch: (records) => compiled.mapBatch(records),
    }));
    try {
      const result = await runSync({
        source: prepared.source,
        destination: prepared.destination,
        catalog: prepared.catalog,
        state: stateRow === undefined ? undefined : (stateRow.state as AirbyteStateMessage[]),
        signal: controller.signal,
        mappers,
        onLog: (entry) => logs.add(entry),
        onProgress: (progress) => {
          // Counters are for people watching: once a second is enough.
          if (Date.now() - savedProgress < 1000) return;
          savedProgress = Date.now();
          // Chained, so an older snapshot never lands after a newer one or after the final counts.
          progressWrite = progressWrite
            .then(() =>
              db
                .updateTable("attempts")
                .set({ streams: JSON.stringify(storedStats(progress.streams)) })
                .where("id", "=", attempt.id)
                .execute(),
            )
            .catch(() => undefined);
        },
        onStateCommitted: async (state) => {
          const json = JSON.stringify(state);
          await db
            .insertInto("connection_states")
            .values({ connection_id: job.connection_id, state: json, updated_at: new Date() })
            .onConflict((oc) =>
              oc.column("connection_id").doUpdateSet({ state: json, updated_at: new Date() }),
            )
            .execute();
        },
      });
      const committed = result.streams.reduce((sum, s) => sum + s.recordsCommitted, 0);
      note(
        result.status === "succeeded" ? "INFO" : "ERROR",
        `sync ${result.status} in ${result.durationMs} ms: ${committed} records committed${
          result.failure === undefined ? "" : `; ${result.failure.type}: ${result.failure.message}`
        }${result.notes.length > 0 ? `; ${result.notes.join("; ")}` : ""}`,
      );
      await logs.flush();
      await progressWrite;
      const failure =
        result.failure === undefined
          ? undefined
          : {
              ...result.failure,
              message: prepared.mask(result.failure.message),
            };
      await finishAttempt(attempt.id, result.status, result.streams, failure);
      return { status: result.status, failure, streams: result.streams };
    } finally {
      await Promise.all(prepared.mappers.map((m) => m.close()));
      await logs.flush();
    }
  };

  /** Attempts until success, cancellation, a config error or the retry limits (Airbyte's rules). */
  const runJob = async (job: JobRow, controller: AbortController): Promise<void> => {
    const totals = { rows: 0, bytes: 0 };
    let failedWithoutProgress = 0;
    let inARowWithoutProgress = 0;
    let failedWithProgress = 0;
    for (let attemptNumber = 1; ; attemptNumber++) {
      const end = await runAttempt(job, attemptNumber, controller);
      const committed = end.streams.reduce((sum, s) => sum + s.recordsCommitted, 0);
      totals.rows += committed;
      totals.bytes += end.streams.reduce((sum, s) => sum + s.bytesEmitted, 0);
      if (end.status !== "failed" || end.failure === undefined || end.failure.type === "config_error") {
        await finishJob(job, end.status, totals, end.failure);
        return;
      }
      if (committed > 0) {
        failedWithProgress++;
        inARowWithoutProgress = 0;
      } else {
        failedWithoutProgress++;
        inARowWithoutProgress++;
      }
      const exhausted =
        inARowWithoutProgress >= retry.maxInARowWithoutProgress ||
        failedWithoutProgress >= retry.maxWithoutProgress ||
        failedWithProgress >= retry.maxWithProgress;
      if (exhausted || controller.signal.aborted) {
        await finishJob(job, controller.signal.aborted ? "cancelled" : "failed", totals, end.failure);
        return;
      }
      await db
        .updateTable("jobs")
        .set({ status: "incomplete", updated_at: new Date() })
        .where("id", "=", job.id)
        .execute();
      // Progress retries at once; failures without it back off (10 s × 3ⁿ, capped at 30 min).
      const delay =
        inARowWithoutProgress === 0
          ? 0
          : Math.min(retry.baseDelayMs * 3 ** (inARowWithoutProgress - 1), retry.maxDelayMs);
      await sleep(delay, undefined, { signal: controller.signal }).catch(() => undefined);
      if (controller.signal.aborted) {
        await finishJob(job, "cancelled", totals, undefined);
        return;
      }
      await db
        .updateTable("jobs")
        .set({ status: "running", updated_at: new Date() })
        .where("id", "=", job.id)
        .execute();
    }
  };

  const start = (job: JobRow): void => {
    const controller = new AbortController();
    const done = runJob(job, controller)
      .catch(async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        await finishJob(
          job,
          "failed",
          { rows: 0, bytes: 0 },
          { type: "system_error", origin: "platform", message },
        );
      })
      .catch(() => undefined)
      .finally(() => {
        running.delete(job.id);
        wake();
      });
    running.set(job.id, { controller, done });
  };

  const poll = async (): Promise<void> => {
    if (polling || stopped) return;
    polling = true;
    try {
      if (running.size > 0) {
        const flagged = await db
          .selectFrom("jobs")
          .select("id")
          .where("id", "in", [...running.keys()])
          .where("cancel_requested", "=", true)
          .execute();
        for (const { id: jobId } of flagged) running.get(jobId)?.controller.abort();
      }
      while (!stopped && running.size < concurrency) {
        const job = await claimNextJob(db, id);
        if (job === undefined) break;
        start(job);
      }
    } finally {
      polling = false;
    }
  };

  const wake = (): void => {
    if (stopped) return;
    void poll().catch(() => undefined);
  };

  const schedule = (): void => {
    timer = setTimeout(() => {
      void poll()
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) schedule();
        });
    }, pollMs);
  };
  schedule();
  wake();

  return {
    id,
    wake,
    cancel(jobId) {
      const job = running.get(jobId);
      job?.controller.abort();
      return job !== undefined;
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const job of running.values()) job.controller.abort();
      await Promise.all([...running.values()].map((job) => job.done));
    },
  };
}
