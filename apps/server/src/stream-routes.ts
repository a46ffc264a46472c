import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createSecretMasker } from "@weir/cdk";
import {
  builtinSpec,
  CONNECTION_SYNC_MODES,
  type ConnectionSyncMode,
  connectorHandle,
  openConfig,
  protocolSyncModes,
} from "@weir/platform";
import type { AirbyteStream } from "@weir/protocol";
import { discoverCatalog } from "@weir/runtime";
import { liveActor } from "./actor-routes.js";
import { unexpected } from "./api-problems.js";
import { ConnectionSyncModeEnum, Id } from "./api-schemas.js";
import { bearer, ok } from "./json-route.js";
import type { ServerContext } from "./server-context.js";

const StreamProperties = z
  .object({
    streamName: z.string(),
    // All lower case in Airbyte's API, unlike every other field.
    streamnamespace: z.string().optional(),
    syncModes: z.array(ConnectionSyncModeEnum).nullable(),
    defaultCursorField: z.array(z.string()),
    sourceDefinedCursorField: z.boolean(),
    sourceDefinedPrimaryKey: z.array(z.array(z.string())),
    propertyFields: z.array(z.array(z.string())),
  })
  .openapi("StreamProperties");

const StreamsQuery = z.object({
  sourceId: Id,
  destinationId: Id.optional(),
  ignoreCache: z.enum(["true", "false"]).optional(),
});

/** Every property path of a JSON schema, nested ones included: `[["id"], ["address"], ["address", "city"]]`. */
export function propertyPaths(schema: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof schema !== "object" || schema === null) return [];
  const properties = (schema as { properties?: unknown }).properties;
  if (typeof properties !== "object" || properties === null) return [];
  return Object.entries(properties).flatMap(([key, child]) => [
    [...prefix, key],
    ...propertyPaths(child, [...prefix, key]),
  ]);
}

function syncModesOf(
  stream: AirbyteStream,
  destinationModes: readonly string[] | undefined,
): ConnectionSyncMode[] {
  return CONNECTION_SYNC_MODES.filter((mode) => {
    const modes = protocolSyncModes(mode);
    if (modes === undefined || !stream.supported_sync_modes.includes(modes.syncMode)) return false;
    return (
      destinationModes === undefined ||
      destinationModes.length === 0 ||
      destinationModes.includes(modes.destinationSyncMode)
    );
  });
}

/** `GET /streams`: what a source offers, and the modes a destination can take. Example: `registerStreamRoutes(api, ctx)`. */
export function registerStreamRoutes(api: OpenAPIHono, ctx: ServerContext): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/streams",
      tags: ["Streams"],
      security: bearer,
      request: { query: StreamsQuery },
      responses: ok(z.array(StreamProperties)),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const source = await liveActor(ctx, "source", q.sourceId);
      const destination =
        q.destinationId === undefined ? undefined : await liveActor(ctx, "destination", q.destinationId);
      const handle = connectorHandle("source", source.connector);
      if (handle === undefined) throw unexpected(`the source ${q.sourceId} has no connector`);
      const config = openConfig(source.config, ctx.box);
      const discovered = await discoverCatalog(handle, config, { side: "source" });
      if (!discovered.ok) {
        const spec = builtinSpec("source", source.connector);
        const mask = spec === undefined ? (text: string) => text : createSecretMasker(spec, config);
        throw unexpected(`discover failed: ${mask(discovered.failure.message)}`);
      }
      const destinationModes =
        destination === undefined
          ? undefined
          : (builtinSpec("destination", destination.connector)?.supported_destination_sync_modes ??
            undefined);
      return c.json(
        discovered.value.streams.map((stream) => ({
          streamName: stream.name,
          ...(stream.namespace ? { streamnamespace: stream.namespace } : {}),
          syncModes: destination === undefined ? null : syncModesOf(stream, destinationModes),
          defaultCursorField: stream.default_cursor_field ?? [],
          sourceDefinedCursorField: stream.source_defined_cursor === true,
          sourceDefinedPrimaryKey: stream.source_defined_primary_key ?? [],
          propertyFields: propertyPaths(stream.json_schema),
        })),
        200,
      );
    },
  );
}
