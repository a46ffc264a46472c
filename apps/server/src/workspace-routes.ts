import { randomUUID } from "node:crypto";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Selectable } from "kysely";
import { notFound } from "./api-problems.js";
import {
  IdParam,
  ListQuery,
  WorkspaceCreateRequest,
  WorkspaceResponse,
  WorkspacesResponse,
  WorkspaceUpdateRequest,
} from "./api-schemas.js";
import { bearer, jsonBody, noContent, ok } from "./json-route.js";
import { pageLinks } from "./list-pages.js";
import type { ServerContext } from "./server-context.js";
import type { WorkspacesTableRow } from "./store-rows.js";

const tags = ["Workspaces"];
const params = IdParam("workspaceId");

const toResponse = (row: Selectable<WorkspacesTableRow>) => ({
  workspaceId: row.id,
  name: row.name,
  dataResidency: "auto",
  notifications: {},
});

/** Loads a live workspace or answers 404. */
export async function liveWorkspace(ctx: ServerContext, id: string) {
  const row = await ctx.db
    .selectFrom("workspaces")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (row === undefined) throw notFound("workspace", id);
  return row;
}

/** `/workspaces` CRUD. Example: `registerWorkspaceRoutes(api, ctx)`. */
export function registerWorkspaceRoutes(api: OpenAPIHono, ctx: ServerContext): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/workspaces",
      tags,
      security: bearer,
      request: { query: ListQuery },
      responses: ok(WorkspacesResponse),
    }),
    async (c) => {
      const q = c.req.valid("query");
      let query = ctx.db.selectFrom("workspaces").selectAll().orderBy("created_at").orderBy("id");
      if (!q.includeDeleted) query = query.where("deleted_at", "is", null);
      if (q.workspaceIds.length > 0) query = query.where("id", "in", q.workspaceIds);
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
      path: "/workspaces",
      tags,
      security: bearer,
      request: { body: jsonBody(WorkspaceCreateRequest) },
      responses: ok(WorkspaceResponse),
    }),
    async (c) => {
      const body = c.req.valid("json");
      const row = await ctx.db
        .insertInto("workspaces")
        .values({ id: randomUUID(), name: body.name })
        .returningAll()
        .executeTakeFirstOrThrow();
      return c.json(toResponse(row), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "get",
      path: "/workspaces/{workspaceId}",
      tags,
      security: bearer,
      request: { params },
      responses: ok(WorkspaceResponse),
    }),
    async (c) =>
      c.json(toResponse(await liveWorkspace(ctx, c.req.valid("param").workspaceId as string)), 200),
  );
  api.openapi(
    createRoute({
      method: "patch",
      path: "/workspaces/{workspaceId}",
      tags,
      security: bearer,
      request: { params, body: jsonBody(WorkspaceUpdateRequest) },
      responses: ok(WorkspaceResponse),
    }),
    async (c) => {
      const id = c.req.valid("param").workspaceId as string;
      const body = c.req.valid("json");
      let row = await liveWorkspace(ctx, id);
      if (body.name !== undefined) {
        row = await ctx.db
          .updateTable("workspaces")
          .set({ name: body.name })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      return c.json(toResponse(row), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "delete",
      path: "/workspaces/{workspaceId}",
      tags,
      security: bearer,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      const id = c.req.valid("param").workspaceId as string;
      await liveWorkspace(ctx, id);
      await ctx.db.updateTable("workspaces").set({ deleted_at: new Date() }).where("id", "=", id).execute();
      return c.body(null, 204);
    },
  );
}
