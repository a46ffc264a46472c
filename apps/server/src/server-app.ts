import { OpenAPIHono } from "@hono/zod-openapi";
import { verifyApiToken } from "@weir/platform";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { registerActorRoutes } from "./actor-routes.js";
import { ApiProblem, badRequest, invalidApiKey, type ProblemBody, unexpected } from "./api-problems.js";
import { registerConnectionRoutes } from "./connection-routes.js";
import { registerDefinitionRoutes } from "./definition-routes.js";
import { registerJobDetailRoutes } from "./job-detail-routes.js";
import { registerJobRoutes } from "./job-routes.js";
import type { ServerContext } from "./server-context.js";
import { registerStreamRoutes } from "./stream-routes.js";
import { registerWorkspaceRoutes } from "./workspace-routes.js";

/** Both prefixes Airbyte's clients use (AIRBYTE-API.md section 1). */
export const API_PREFIXES = ["/api/public/v1", "/v1"] as const;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const problemResponse = (body: ProblemBody): Response =>
  new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/json" },
  });

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

const describeIssues = (issues: readonly Issue[]): string =>
  issues
    .map((i) => `${i.path.length === 0 ? "body" : i.path.map(String).join(".")}: ${i.message}`)
    .join("; ");

/** The public API's routes, validated and documented by the same zod schemas. */
function createApi(ctx: ServerContext): OpenAPIHono {
  const api = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) return problemResponse(badRequest(describeIssues(result.error.issues)).body);
      return undefined;
    },
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer" });
  api.get("/health", (c) => c.text("Successful operation", 200));
  api.use("*", async (c, next) => {
    if (c.req.path.endsWith("/health")) return next();
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined || !(await verifyApiToken(ctx.db, match[1]))) throw invalidApiKey();
    return next();
  });
  api.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () =>
        problemResponse({
          status: 413,
          type: "payload-too-large",
          title: "payload-too-large",
          detail: `The body is larger than ${MAX_BODY_BYTES} bytes.`,
        }),
    }),
  );
  registerWorkspaceRoutes(api, ctx);
  registerActorRoutes(api, ctx, "source");
  registerActorRoutes(api, ctx, "destination");
  registerConnectionRoutes(api, ctx);
  registerJobRoutes(api, ctx);
  registerJobDetailRoutes(api, ctx);
  registerStreamRoutes(api, ctx);
  registerDefinitionRoutes(api, ctx);
  return api;
}

/**
 * The whole HTTP app: the API under `/api/public/v1` and `/v1`, its OpenAPI document at
 * `/api/openapi.json`. Example: `serve({ fetch: createServerApp(ctx).fetch, port: 8000 })`.
 */
export function createServerApp(ctx: ServerContext): Hono {
  const api = createApi(ctx);
  const app = new Hono();
  app.onError((error) => {
    if (error instanceof ApiProblem) return problemResponse(error.body);
    if (error instanceof HTTPException && error.status === 400)
      return problemResponse(badRequest(error.message).body);
    if (error instanceof HTTPException) return error.getResponse();
    console.error(error);
    return problemResponse(unexpected("an unexpected error happened; see the server's log").body);
  });
  app.get("/api/openapi.json", (c) =>
    c.json(
      api.getOpenAPI31Document({
        openapi: "3.1.0",
        info: {
          title: "Weir API",
          version: "1.0.0",
          description: "Airbyte's public API v1, as Weir serves it.",
        },
        servers: API_PREFIXES.map((url) => ({ url })),
      }),
    ),
  );
  for (const prefix of API_PREFIXES) app.route(prefix, api);
  return app;
}
