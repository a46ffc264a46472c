import { randomUUID } from "node:crypto";
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { createSecretMasker } from "@weir/cdk";
import { MapperConfigList } from "@weir/mappers";
import {
  builtinSpec,
  connectionCatalog,
  connectorHandle,
  openConfig,
  type StoredSchedule,
  type StoredStream,
} from "@weir/platform";
import { discoverCatalog } from "@weir/runtime";
import type { Selectable } from "kysely";
import { liveActor } from "./actor-routes.js";
import { badRequest, notFound, unexpected } from "./api-problems.js";
import {
  ConnectionCreateRequest,
  ConnectionPatchRequest,
  ConnectionResponse,
  ConnectionsResponse,
  IdParam,
  ListQuery,
  type StreamConfiguration,
} from "./api-schemas.js";
import { bearer, jsonBody, noContent, ok } from "./json-route.js";
import { pageLinks } from "./list-pages.js";
import type { ServerContext } from "./server-context.js";
import type { ConnectionsTableRow } from "./store-rows.js";

type Row = Selectable<ConnectionsTableRow>;
const tags = ["Connections"];
const params = IdParam("connectionId");

function toResponse(row: Row): z.infer<typeof ConnectionResponse> {
  const schedule =
    row.schedule.scheduleType === "cron" && row.schedule.cronExpression !== undefined
      ? { scheduleType: "cron" as const, cronExpression: `${row.schedule.cronExpression} UTC` }
      : { scheduleType: row.schedule.scheduleType };
  return {
    connectionId: row.id,
    name: row.name,
    sourceId: row.source_id,
    destinationId: row.destination_id,
    workspaceId: row.workspace_id,
    status: row.status as z.infer<typeof ConnectionResponse>["status"],
    schedule,
    configurations: {
      streams: (row.streams ?? []).map((s) => ({
        ...s,
        cursorField: s.cursorField ? [...s.cursorField] : undefined,
        primaryKey: s.primaryKey?.map((p) => [...p]),
        selectedFields: s.selectedFields?.map((f) => ({ fieldPath: [...f.fieldPath] })),
        mappers: (s.mappers ?? []) as Record<string, unknown>[],
        syncMode: s.syncMode as z.infer<typeof StreamConfiguration>["syncMode"],
      })),
    },
    createdAt: Math.floor(row.created_at.getTime() / 1000),
    tags: [],
    namespaceDefinition: row.namespace_definition as "source" | "destination" | "custom_format",
    ...(row.namespace_format === null ? {} : { namespaceFormat: row.namespace_format }),
    prefix: row.prefix,
    nonBreakingSchemaUpdatesBehavior: row.non_breaking_changes as "ignore",
  };
}

async function liveConnection(ctx: ServerContext, id: string): Promise<Row> {
  const row = await ctx.db
    .selectFrom("connections")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (row === undefined) throw notFound("connection", id);
  return row;
}

function scheduleOf(schedule: {
  scheduleType: "manual" | "cron";
  cronExpression?: string | undefined;
}): StoredSchedule {
  if (schedule.scheduleType === "manual") return { scheduleType: "manual" };
  const cron = schedule.cronExpression?.replace(/\s+UTC$/, "").trim();
  if (cron === undefined || cron === "")
    throw badRequest("schedule.cronExpression: is required for a cron schedule");
  if (cron.split(/\s+/).length < 6)
    throw badRequest(
      "schedule.cronExpression: must be a Quartz expression (seconds first), e.g. 0 0 2 * * ?",
    );
  return { scheduleType: "cron", cronExpression: cron };
}

/**
 * The streams to store: checked against what the source discovers now (and the mappers
 * against @weir/mappers' schema), so a bad choice is a 400 at once, not a failed sync later.
 */
async function checkedStreams(
  ctx: ServerContext,
  sourceId: string,
  wanted: readonly z.infer<typeof StreamConfiguration>[] | undefined,
): Promise<StoredStream[]> {
  const source = await liveActor(ctx, "source", sourceId);
  const handle = connectorHandle("source", source.connector);
  if (handle === undefined) throw unexpected(`the source ${sourceId} has no connector`);
  const config = openConfig(source.config, ctx.box);
  const discovered = await discoverCatalog(handle, config, { side: "source" });
  if (!discovered.ok) {
    const spec = builtinSpec("source", source.connector);
    const mask = spec === undefined ? (text: string) => text : createSecretMasker(spec, config);
    throw unexpected(`discover failed: ${mask(discovered.failure.message)}`);
  }
  const streams: StoredStream[] =
    wanted === undefined || wanted.length === 0
      ? discovered.value.streams.map((s) => ({
          name: s.name,
          ...(s.namespace ? { namespace: s.namespace } : {}),
          syncMode: "full_refresh_overwrite",
        }))
      : wanted.map((s, index) => {
          const mappers = MapperConfigList.safeParse(s.mappers ?? []);
          if (!mappers.success) {
            const issue = mappers.error.issues[0];
            const at = ["configurations", "streams", index, "mappers", ...(issue?.path ?? [])].join(".");
            throw badRequest(`${at}: ${issue?.message ?? "is not a valid mapper"}`);
          }
          return {
            name: s.name,
            ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
            syncMode: s.syncMode ?? "full_refresh_overwrite",
            ...(s.cursorField === undefined ? {} : { cursorField: s.cursorField }),
            ...(s.primaryKey === undefined ? {} : { primaryKey: s.primaryKey }),
            ...(s.selectedFields === undefined ? {} : { selectedFields: s.selectedFields }),
            mappers: s.mappers ?? [],
          };
        });
  const seen = new Set<string>();
  for (const s of streams) {
    const key = `${s.namespace ?? ""}.${s.name}`;
    if (seen.has(key)) throw badRequest(`stream ${s.name}: listed twice`);
    seen.add(key);
  }
  const built = connectionCatalog(discovered.value, streams);
  if (!built.ok) throw badRequest(built.message);
  // The effective cursor and key (the source's when it defines them) are what answers show.
  return streams.map((s) => {
    const configured = built.catalog.streams.find((c) => c.stream.name === s.name);
    return {
      ...s,
      ...(configured?.cursor_field ? { cursorField: configured.cursor_field } : {}),
      ...(configured?.primary_key ? { primaryKey: configured.primary_key } : {}),
    };
  });
}

/** `/connections` CRUD. Example: `registerConnectionRoutes(api, ctx)`. */
export function registerConnectionRoutes(api: OpenAPIHono, ctx: ServerContext): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/connections",
      tags,
      security: bearer,
      request: { query: ListQuery },
      responses: ok(ConnectionsResponse),
    }),
    async (c) => {
      const q = c.req.valid("query");
      let query = ctx.db.selectFrom("connections").selectAll().orderBy("created_at").orderBy("id");
      if (!q.includeDeleted) query = query.where("deleted_at", "is", null);
      if (q.workspaceIds.length > 0) query = query.where("workspace_id", "in", q.workspaceIds);
      const rows = await query.limit(q.limit).offset(q.offset).execute();
      return c.json(
        { data: rows.map(toResponse), ...pageLinks(c.req.url, q.limit, q.offset, rows.length) },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/connections",
      tags,
      security: bearer,
      request: { body: jsonBody(ConnectionCreateRequest) },
      responses: ok(ConnectionResponse),
    }),
    async (c) => {
      const body = c.req.valid("json");
      const source = await liveActor(ctx, "source", body.sourceId);
      const destination = await liveActor(ctx, "destination", body.destinationId);
      if (destination.workspace_id !== source.workspace_id)
        throw badRequest("destinationId: the destination is in another workspace than the source");
      const schedule = scheduleOf(body.schedule ?? { scheduleType: "manual" });
      const streams = await checkedStreams(ctx, source.id, body.configurations?.streams);
      const row = await ctx.db
        .insertInto("connections")
        .values({
          id: randomUUID(),
          workspace_id: source.workspace_id,
          source_id: source.id,
          destination_id: destination.id,
          name: body.name ?? `${source.name} <> ${destination.name}`,
          streams: JSON.stringify(streams),
          schedule: JSON.stringify(schedule),
          namespace_definition: body.namespaceDefinition ?? "destination",
          namespace_format: body.namespaceFormat ?? null,
          prefix: body.prefix ?? "",
          non_breaking_changes: body.nonBreakingSchemaUpdatesBehavior ?? "ignore",
          status: body.status ?? "active",
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return c.json(toResponse(row), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/connections/{connectionId}",
      tags,
      security: bearer,
      request: { params },
      responses: ok(ConnectionResponse),
    }),
    async (c) =>
      c.json(toResponse(await liveConnection(ctx, c.req.valid("param").connectionId as string)), 200),
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/connections/{connectionId}",
      tags,
      security: bearer,
      request: { params, body: jsonBody(ConnectionPatchRequest) },
      responses: ok(ConnectionResponse),
    }),
    async (c) => {
      const id = c.req.valid("param").connectionId as string;
      const body = c.req.valid("json");
      const row = await liveConnection(ctx, id);
      const wanted = body.configurations?.streams;
      const streams =
        wanted === undefined || wanted.length === 0
          ? undefined
          : await checkedStreams(ctx, row.source_id, wanted);
      const updated = await ctx.db
        .updateTable("connections")
        .set({
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(streams === undefined ? {} : { streams: JSON.stringify(streams) }),
          ...(body.schedule === undefined ? {} : { schedule: JSON.stringify(scheduleOf(body.schedule)) }),
          ...(body.namespaceDefinition === undefined
            ? {}
            : { namespace_definition: body.namespaceDefinition }),
          ...(body.namespaceFormat === undefined ? {} : { namespace_format: body.namespaceFormat }),
          ...(body.prefix === undefined ? {} : { prefix: body.prefix }),
          ...(body.nonBreakingSchemaUpdatesBehavior === undefined
            ? {}
            : { non_breaking_changes: body.nonBreakingSchemaUpdatesBehavior }),
          ...(body.status === undefined ? {} : { status: body.status }),
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return c.json(toResponse(updated), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/connections/{connectionId}",
      tags,
      security: bearer,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      const id = c.req.valid("param").connectionId as string;
      await liveConnection(ctx, id);
      await ctx.db
        .updateTable("connections")
        .set({ deleted_at: new Date(), status: "deprecated" })
        .where("id", "=", id)
        .execute();
      return c.body(null, 204);
    },
  );
}
