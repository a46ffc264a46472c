import { setTimeout as sleep } from "node:timers/promises";
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { cancelJob, enqueueSync, type JobRow } from "@weir/platform";
import { notFound, stateConflict, tryAgainLater, unprocessable } from "./api-problems.js";
import { JobCreateRequest, JobIdParam, JobResponse, JobsQuery, JobsResponse } from "./api-schemas.js";
import { bearer, jsonBody, ok } from "./json-route.js";
import { pageLinks } from "./list-pages.js";
import type { ServerContext } from "./server-context.js";

const tags = ["Jobs"];
const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);
// How long DELETE waits for a running job to stop before answering with it as it is.
const CANCEL_WAIT_MS = 20_000;

const isoSeconds = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/** ISO-8601 duration: `PT2M41S`. Example: `isoDuration(161_000) // "PT2M41S"`. */
export function isoDuration(ms: number): string {
  let seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts = `${hours > 0 ? `${hours}H` : ""}${minutes > 0 ? `${minutes}M` : ""}`;
  return `PT${parts}${seconds > 0 || parts === "" ? `${seconds}S` : ""}`;
}

function toResponse(job: JobRow): z.infer<typeof JobResponse> {
  const terminal = TERMINAL.has(job.status);
  const end = job.ended_at ?? job.updated_at;
  return {
    jobId: job.id,
    status: job.status,
    jobType: job.job_type as "sync",
    startTime: isoSeconds(job.created_at),
    connectionId: job.connection_id,
    ...(terminal ? { lastUpdatedAt: isoSeconds(end) } : {}),
    ...(job.status === "pending"
      ? {}
      : { duration: isoDuration((terminal ? end.getTime() : Date.now()) - job.created_at.getTime()) }),
    ...(terminal
      ? { bytesSynced: Math.round(Number(job.bytes_synced)), rowsSynced: Math.round(Number(job.rows_synced)) }
      : {}),
  };
}

async function findJob(ctx: ServerContext, id: number): Promise<JobRow> {
  const job = await ctx.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
  if (job === undefined) throw notFound("job", String(id));
  return job;
}

/** `/jobs`: trigger a sync, list, read, cancel. Example: `registerJobRoutes(api, ctx)`. */
export function registerJobRoutes(api: OpenAPIHono, ctx: ServerContext): void {
  api.openapi(
    createRoute({
      method: "post",
      path: "/jobs",
      tags,
      security: bearer,
      request: { body: jsonBody(JobCreateRequest) },
      responses: ok(JobResponse),
    }),
    async (c) => {
      const body = c.req.valid("json");
      const connection = await ctx.db
        .selectFrom("connections")
        .select("id")
        .where("id", "=", body.connectionId)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (connection === undefined) throw notFound("connection", body.connectionId);
      if (body.jobType !== "sync")
        throw unprocessable(`jobType ${body.jobType} is not supported yet; only sync is`);
      const queued = await enqueueSync(ctx.db, body.connectionId);
      if (!queued.ok) throw tryAgainLater(`A sync is already running for connection ${body.connectionId}`);
      ctx.worker?.wake();
      return c.json(toResponse(queued.job), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/jobs",
      tags,
      security: bearer,
      request: { query: JobsQuery },
      responses: ok(JobsResponse),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const [field, direction] = q.orderBy.split("|") as ["createdAt" | "updatedAt", "ASC" | "DESC"];
      const column = field === "createdAt" ? "jobs.created_at" : "jobs.updated_at";
      const dir = direction === "ASC" ? "asc" : "desc";
      let query = ctx.db.selectFrom("jobs").selectAll("jobs").orderBy(column, dir).orderBy("jobs.id", dir);
      if (q.connectionId !== undefined) query = query.where("jobs.connection_id", "=", q.connectionId);
      if (q.jobType !== undefined) query = query.where("jobs.job_type", "=", q.jobType);
      if (q.status !== undefined) query = query.where("jobs.status", "=", q.status);
      if (q.workspaceIds.length > 0) {
        query = query
          .innerJoin("connections", "connections.id", "jobs.connection_id")
          .where("connections.workspace_id", "in", q.workspaceIds);
      }
      const rows = await query.limit(q.limit).offset(q.offset).execute();
      return c.json(
        { data: rows.map(toResponse), ...pageLinks(c.req.url, q.limit, q.offset, rows.length) },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/jobs/{jobId}",
      tags,
      security: bearer,
      request: { params: JobIdParam },
      responses: ok(JobResponse),
    }),
    async (c) => c.json(toResponse(await findJob(ctx, c.req.valid("param").jobId)), 200),
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/jobs/{jobId}",
      tags,
      security: bearer,
      request: { params: JobIdParam },
      responses: ok(JobResponse),
    }),
    async (c) => {
      const id = c.req.valid("param").jobId;
      const outcome = await cancelJob(ctx.db, id);
      if (!outcome.ok) {
        if (outcome.reason === "not-found") throw notFound("job", String(id));
        throw stateConflict(`job ${id} is not running`);
      }
      if (!outcome.wasRunning) return c.json(toResponse(outcome.job), 200);
      ctx.worker?.cancel(id);
      // Cancellation stops the connectors and keeps what was committed; answer once it is over.
      const deadline = Date.now() + CANCEL_WAIT_MS;
      let job = await findJob(ctx, id);
      while (!TERMINAL.has(job.status) && Date.now() < deadline) {
        await sleep(100);
        job = await findJob(ctx, id);
      }
      return c.json(toResponse(job), 200);
    },
  );
}
