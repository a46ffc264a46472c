import { randomUUID } from "node:crypto";
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { validateConfig } from "@weir/cdk";
import {
  type ActorKind,
  type ConnectorDefinition,
  definitionOfReference,
  findDefinition,
  keepMaskedSecrets,
  maskConfig,
  mergeConfig,
  openConfig,
  sealConfig,
} from "@weir/platform";
import type { Selectable } from "kysely";
import { notFound, unprocessable, valueNotFound } from "./api-problems.js";
import {
  DestinationRequests,
  DestinationResponse,
  DestinationsResponse,
  IdParam,
  ListQuery,
  SourceRequests,
  SourceResponse,
  SourcesResponse,
} from "./api-schemas.js";
import { bearer, jsonBody, noContent, ok } from "./json-route.js";
import { pageLinks } from "./list-pages.js";
import type { ServerContext } from "./server-context.js";
import type { ActorsTableRow } from "./store-rows.js";
import { liveWorkspace } from "./workspace-routes.js";

type Row = Selectable<ActorsTableRow>;
type Config = Record<string, unknown>;

const names = (kind: ActorKind) =>
  kind === "source"
    ? ({
        table: "sources",
        idKey: "sourceId",
        typeKey: "sourceType",
        plural: "/sources",
        tag: "Sources",
      } as const)
    : ({
        table: "destinations",
        idKey: "destinationId",
        typeKey: "destinationType",
        plural: "/destinations",
        tag: "Destinations",
      } as const);

/** Loads a live source or destination or answers 404. */
export async function liveActor(ctx: ServerContext, kind: ActorKind, id: string): Promise<Row> {
  const row = await ctx.db
    .selectFrom(names(kind).table)
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (row === undefined) throw notFound(kind, id);
  return row;
}

function toResponse(kind: ActorKind, row: Row) {
  const n = names(kind);
  const definition = definitionOfReference(kind, row.connector);
  return {
    [n.idKey]: row.id,
    name: row.name,
    [n.typeKey]: definition?.shortName ?? "",
    definitionId: row.definition_id,
    workspaceId: row.workspace_id,
    configuration: maskConfig(row.config),
    createdAt: Math.floor(row.created_at.getTime() / 1000),
  };
}

/** The config without the `sourceType` / `destinationType` key clients put in it. */
function splitType(kind: ActorKind, configuration: Config): { type: string | undefined; config: Config } {
  const { [names(kind).typeKey]: type, ...config } = configuration;
  return { type: typeof type === "string" ? type : undefined, config };
}

/** Checks a config against its connector's spec: 422 naming the field. */
function checkedConfig(definition: ConnectorDefinition, config: Config): void {
  const valid = validateConfig(definition.connector.spec, config);
  if (!valid.ok) throw unprocessable(valid.message);
}

function definitionOf(kind: ActorKind, row: Row): ConnectorDefinition {
  const definition = definitionOfReference(kind, row.connector);
  if (definition === undefined)
    throw unprocessable(
      `the ${kind}'s connector is not a built-in; its configuration cannot be changed through the API yet`,
    );
  return definition;
}

/** `/sources` or `/destinations` CRUD, secrets sealed in the store and masked in answers. */
export function registerActorRoutes(api: OpenAPIHono, ctx: ServerContext, kind: ActorKind): void {
  const n = names(kind);
  const tags = [n.tag];
  const requests = kind === "source" ? SourceRequests : DestinationRequests;
  const Response: z.ZodType = kind === "source" ? SourceResponse : DestinationResponse;
  const ListResponse: z.ZodType = kind === "source" ? SourcesResponse : DestinationsResponse;
  const params = IdParam(n.idKey);
  const idOf = (p: Record<string, unknown>): string => p[n.idKey] as string;

  api.openapi(
    createRoute({
      method: "get",
      path: n.plural,
      tags,
      security: bearer,
      request: { query: ListQuery },
      responses: ok(ListResponse),
    }),
    async (c) => {
      const q = c.req.valid("query");
      let query = ctx.db.selectFrom(n.table).selectAll().orderBy("created_at").orderBy("id");
      if (!q.includeDeleted) query = query.where("deleted_at", "is", null);
      if (q.workspaceIds.length > 0) query = query.where("workspace_id", "in", q.workspaceIds);
      const rows = await query.limit(q.limit).offset(q.offset).execute();
      return c.json(
        {
          data: rows.map((row) => toResponse(kind, row)),
          ...pageLinks(c.req.url, q.limit, q.offset, rows.length),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: n.plural,
      tags,
      security: bearer,
      request: { body: jsonBody(requests.create) },
      responses: ok(Response),
    }),
    async (c) => {
      const body = c.req.valid("json");
      await liveWorkspace(ctx, body.workspaceId);
      const { type, config } = splitType(kind, body.configuration);
      let definition: ConnectorDefinition | undefined;
      if (body.definitionId !== undefined) {
        definition = findDefinition(kind, { id: body.definitionId });
        if (definition === undefined) throw notFound(`${kind}_definition`, body.definitionId);
      } else if (type !== undefined) {
        definition = findDefinition(kind, { name: type });
        if (definition === undefined) throw valueNotFound(type);
      } else {
        throw unprocessable(`give definitionId or configuration.${n.typeKey}`);
      }
      checkedConfig(definition, config);
      const row = await ctx.db
        .insertInto(n.table)
        .values({
          id: randomUUID(),
          workspace_id: body.workspaceId,
          name: body.name,
          connector: JSON.stringify({ type: "builtin", name: definition.builtin }),
          definition_id: definition.id,
          config: JSON.stringify(sealConfig(definition.connector.spec, config, ctx.box)),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return c.json(toResponse(kind, row), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: `${n.plural}/{${n.idKey}}`,
      tags,
      security: bearer,
      request: { params },
      responses: ok(Response),
    }),
    async (c) => c.json(toResponse(kind, await liveActor(ctx, kind, idOf(c.req.valid("param")))), 200),
  );

  const update = async (
    id: string,
    name: string | undefined,
    next: (current: Config) => Config | undefined,
  ) => {
    const row = await liveActor(ctx, kind, id);
    const definition = definitionOf(kind, row);
    const current = openConfig(row.config, ctx.box);
    const incoming = next(current);
    let sealed: string | undefined;
    if (incoming !== undefined) {
      const config = keepMaskedSecrets(definition.connector.spec, splitType(kind, incoming).config, current);
      checkedConfig(definition, config);
      sealed = JSON.stringify(sealConfig(definition.connector.spec, config, ctx.box));
    }
    const updated = await ctx.db
      .updateTable(n.table)
      .set({ ...(name === undefined ? {} : { name }), ...(sealed === undefined ? {} : { config: sealed }) })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toResponse(kind, updated);
  };

  api.openapi(
    createRoute({
      method: "patch",
      path: `${n.plural}/{${n.idKey}}`,
      tags,
      security: bearer,
      request: { params, body: jsonBody(requests.patch) },
      responses: ok(Response),
    }),
    async (c) => {
      const body = c.req.valid("json");
      const patch = body.configuration;
      const answer = await update(idOf(c.req.valid("param")), body.name, (current) =>
        patch === undefined ? undefined : mergeConfig(current, patch),
      );
      return c.json(answer, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: `${n.plural}/{${n.idKey}}`,
      tags,
      security: bearer,
      request: { params, body: jsonBody(requests.put) },
      responses: ok(Response),
    }),
    async (c) => {
      const body = c.req.valid("json");
      return c.json(await update(idOf(c.req.valid("param")), body.name, () => body.configuration), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: `${n.plural}/{${n.idKey}}`,
      tags,
      security: bearer,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      const id = idOf(c.req.valid("param"));
      await liveActor(ctx, kind, id);
      const now = new Date();
      await ctx.db.transaction().execute(async (trx) => {
        await trx.updateTable(n.table).set({ deleted_at: now }).where("id", "=", id).execute();
        // As Airbyte does: a connection cannot outlive its source or destination.
        await trx
          .updateTable("connections")
          .set({ deleted_at: now, status: "deprecated" })
          .where(kind === "source" ? "source_id" : "destination_id", "=", id)
          .where("deleted_at", "is", null)
          .execute();
      });
      return c.body(null, 204);
    },
  );
}
