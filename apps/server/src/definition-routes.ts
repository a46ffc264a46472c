import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type ActorKind, type ConnectorDefinition, connectorDefinitions } from "@weir/platform";
import { notFound } from "./api-problems.js";
import { Id } from "./api-schemas.js";
import { bearer, ok } from "./json-route.js";
import type { ServerContext } from "./server-context.js";
import { liveWorkspace } from "./workspace-routes.js";

const tags = ["Definitions"];

const ConnectorDefinitionResponse = z
  .object({
    id: Id,
    name: z.string(),
    connectorDefinitionType: z.enum(["source", "destination"]),
    version: z.string(),
  })
  .openapi("ConnectorDefinitionResponse");
const DefinitionResponse = z
  .object({
    id: Id,
    name: z.string(),
    dockerRepository: z.string(),
    dockerImageTag: z.string(),
    documentationUrl: z.string().optional(),
  })
  .openapi("DefinitionResponse");

const describe = (d: ConnectorDefinition) => ({
  id: d.id,
  name: d.builtin,
  // Built-ins run in-process; the repository names the Airbyte connector they stand for.
  dockerRepository: `airbyte/${d.kind}-${d.shortName}`,
  dockerImageTag: d.connector.version,
  ...(typeof d.connector.spec.documentationUrl === "string"
    ? { documentationUrl: d.connector.spec.documentationUrl }
    : {}),
});

/**
 * The built-in connectors as Airbyte's definitions (read-only: Weir adds connectors by
 * command or image, not by registering definitions). Example: `registerDefinitionRoutes(api, ctx)`.
 */
export function registerDefinitionRoutes(api: OpenAPIHono, ctx: ServerContext): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/connector_definitions",
      tags,
      security: bearer,
      request: { query: z.object({ type: z.enum(["source", "destination"]), workspaceId: Id.optional() }) },
      responses: ok(
        z.object({ data: z.array(ConnectorDefinitionResponse) }).openapi("ConnectorDefinitionsResponse"),
      ),
    }),
    (c) => {
      const { type } = c.req.valid("query");
      const data = connectorDefinitions()
        .filter((d) => d.kind === type)
        .map((d) => ({
          id: d.id,
          name: describe(d).name,
          connectorDefinitionType: d.kind,
          version: d.connector.version,
        }));
      return c.json({ data }, 200);
    },
  );
  for (const kind of ["source", "destination"] as const satisfies readonly ActorKind[]) {
    const plural = `${kind}s`;
    api.openapi(
      createRoute({
        method: "get",
        path: `/workspaces/{workspaceId}/definitions/${plural}`,
        tags,
        security: bearer,
        request: {
          params: z.object({ workspaceId: Id.openapi({ param: { name: "workspaceId", in: "path" } }) }),
        },
        responses: ok(z.object({ data: z.array(DefinitionResponse) }).openapi("DefinitionsResponse")),
      }),
      async (c) => {
        await liveWorkspace(ctx, c.req.valid("param").workspaceId);
        return c.json(
          {
            data: connectorDefinitions()
              .filter((d) => d.kind === kind)
              .map(describe),
          },
          200,
        );
      },
    );
    api.openapi(
      createRoute({
        method: "get",
        path: `/workspaces/{workspaceId}/definitions/${plural}/{definitionId}`,
        tags,
        security: bearer,
        request: {
          params: z.object({
            workspaceId: Id.openapi({ param: { name: "workspaceId", in: "path" } }),
            definitionId: Id.openapi({ param: { name: "definitionId", in: "path" } }),
          }),
        },
        responses: ok(DefinitionResponse),
      }),
      async (c) => {
        const { workspaceId, definitionId } = c.req.valid("param");
        await liveWorkspace(ctx, workspaceId);
        const found = connectorDefinitions().find((d) => d.kind === kind && d.id === definitionId);
        if (found === undefined) throw notFound(`${kind}_definition`, definitionId);
        return c.json(describe(found), 200);
      },
    );
  }
}
