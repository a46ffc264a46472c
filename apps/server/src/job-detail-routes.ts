import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { notFound } from "./api-problems.js";
import { JobIdParam } from "./api-schemas.js";
import { bearer, ok } from "./json-route.js";
import { pageLinks } from "./list-pages.js";
import type { ServerContext } from "./server-context.js";

const tags = ["Jobs (Weir)"];

const StreamStats = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  recordsEmitted: z.number().int(),
  recordsCommitted: z.number().int(),
  bytesEmitted: z.number().int(),
  status: z.string().optional(),
});
const AttemptResponse = z
  .object({
    attemptNumber: z.number().int(),
    status: z.string(),
    startTime: z.string(),
    endTime: z.string().optional(),
    streams: z.array(StreamStats),
    failure: z
      .object({
        failureType: z.enum(["config_error", "transient_error", "system_error"]),
        origin: z.string(),
        message: z.string(),
      })
      .optional(),
  })
  .openapi("AttemptResponse");
const AttemptsResponse = z.object({ data: z.array(AttemptResponse) }).openapi("AttemptsResponse");

const LogLine = z.object({
  attemptNumber: z.number().int(),
  at: z.string(),
  origin: z.string(),
  level: z.string(),
  message: z.string(),
});
const LogsResponse = z
  .object({ data: z.array(LogLine), next: z.string().optional(), previous: z.string().optional() })
  .openapi("JobLogsResponse");
const LogsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

async function requireJob(ctx: ServerContext, id: number): Promise<void> {
  const job = await ctx.db.selectFrom("jobs").select("id").where("id", "=", id).executeTakeFirst();
  if (job === undefined) throw notFound("job", String(id));
}

/**
 * Weir's own job endpoints (Airbyte's public API has none): attempts with per-stream
 * counters and failures, and the attempts' log lines by page. Example: `registerJobDetailRoutes(api, ctx)`.
 */
export function registerJobDetailRoutes(api: OpenAPIHono, ctx: ServerContext): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/jobs/{jobId}/attempts",
      tags,
      security: bearer,
      request: { params: JobIdParam },
      responses: ok(AttemptsResponse),
    }),
    async (c) => {
      const id = c.req.valid("param").jobId;
      await requireJob(ctx, id);
      const rows = await ctx.db
        .selectFrom("attempts")
        .selectAll()
        .where("job_id", "=", id)
        .orderBy("attempt_number")
        .execute();
      const data = rows.map((row) => ({
        attemptNumber: row.attempt_number,
        status: row.status,
        startTime: row.started_at.toISOString(),
        ...(row.ended_at === null ? {} : { endTime: row.ended_at.toISOString() }),
        streams: row.streams.map((s) => ({ ...s })),
        ...(row.failure_type === null
          ? {}
          : {
              failure: {
                failureType: row.failure_type as "config_error",
                origin: row.failure_origin ?? "platform",
                message: row.failure_message ?? "",
              },
            }),
      }));
      return c.json({ data }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/jobs/{jobId}/logs",
      tags,
      security: bearer,
      request: { params: JobIdParam, query: LogsQuery },
      responses: ok(LogsResponse),
    }),
    async (c) => {
      const id = c.req.valid("param").jobId;
      const q = c.req.valid("query");
      await requireJob(ctx, id);
      const rows = await ctx.db
        .selectFrom("attempt_logs")
        .innerJoin("attempts", "attempts.id", "attempt_logs.attempt_id")
        .select([
          "attempts.attempt_number",
          "attempt_logs.at",
          "attempt_logs.origin",
          "attempt_logs.level",
          "attempt_logs.message",
        ])
        .where("attempts.job_id", "=", id)
        .orderBy("attempt_logs.id")
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      const data = rows.map((row) => ({
        attemptNumber: row.attempt_number,
        at: row.at.toISOString(),
        origin: row.origin,
        level: row.level,
        message: row.message,
      }));
      return c.json({ data, ...pageLinks(c.req.url, q.limit, q.offset, rows.length) }, 200);
    },
  );
}
