import type { z } from "@hono/zod-openapi";

/** A required JSON request body, for `createRoute`'s `request.body`. Example: `body: jsonBody(WorkspaceCreateRequest)`. */
export const jsonBody = <T extends z.ZodType>(schema: T) =>
  ({ required: true, content: { "application/json": { schema } } }) as const;

/** A 200 JSON answer, for `createRoute`'s `responses`. Example: `responses: ok(WorkspaceResponse)`. */
export const ok = <T extends z.ZodType>(schema: T) =>
  ({ 200: { description: "OK", content: { "application/json": { schema } } } }) as const;

/** A 204 answer with no body. */
export const noContent = { 204: { description: "Done, no body." } } as const;

/** Every route but health needs a bearer token. */
export const bearer = [{ bearerAuth: [] }];
