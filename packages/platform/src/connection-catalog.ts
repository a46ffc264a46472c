import type { AirbyteCatalog, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from "@weir/protocol";
import type { StoredStream } from "./store-tables.js";
import { type ConnectionSyncMode, protocolSyncModes } from "./sync-modes.js";

export type CatalogOutcome =
  | { readonly ok: true; readonly catalog: ConfiguredAirbyteCatalog }
  | { readonly ok: false; readonly message: string };

const label = (s: { name: string; namespace?: string | null | undefined }): string =>
  s.namespace ? `${s.namespace}.${s.name}` : s.name;

/**
 * The configured catalog of a connection: its streams matched against what the source
 * discovered (null: every stream, full_refresh_overwrite). Cursor and primary key default to
 * the source's. Example: `connectionCatalog(discovered, connection.streams)`.
 */
export function connectionCatalog(
  discovered: AirbyteCatalog,
  streams: readonly StoredStream[] | null,
): CatalogOutcome {
  if (streams === null) {
    return {
      ok: true,
      catalog: {
        streams: discovered.streams.map((stream) => ({
          stream,
          sync_mode: "full_refresh",
          destination_sync_mode: "overwrite",
          ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
        })),
      },
    };
  }
  const out: ConfiguredAirbyteStream[] = [];
  for (const wanted of streams) {
    const matches = discovered.streams.filter(
      (s) =>
        s.name === wanted.name &&
        (wanted.namespace === undefined || (s.namespace ?? "") === wanted.namespace),
    );
    const stream = matches[0];
    if (stream === undefined || matches.length > 1) {
      const what =
        matches.length > 1 ? "matches several streams; give its namespace" : "is not a stream of the source";
      return {
        ok: false,
        message: `stream ${label(wanted)} ${what}; its streams are: ${discovered.streams.map(label).join(", ")}`,
      };
    }
    const modes = protocolSyncModes(wanted.syncMode as ConnectionSyncMode);
    if (modes === undefined)
      return { ok: false, message: `stream ${label(wanted)}: syncMode ${wanted.syncMode} is not supported` };
    if (!stream.supported_sync_modes.includes(modes.syncMode)) {
      return {
        ok: false,
        message: `stream ${label(wanted)}: the source supports only ${stream.supported_sync_modes.join(", ")} for it`,
      };
    }
    const cursor = stream.source_defined_cursor
      ? stream.default_cursor_field
      : (wanted.cursorField ?? stream.default_cursor_field);
    if (
      modes.syncMode === "incremental" &&
      (cursor === undefined || cursor === null || cursor.length === 0)
    ) {
      return { ok: false, message: `stream ${label(wanted)}: incremental sync needs a cursorField` };
    }
    const primaryKey = stream.source_defined_primary_key ?? wanted.primaryKey?.map((path) => [...path]);
    const needsKey = modes.destinationSyncMode === "append_dedup" || modes.destinationSyncMode === "update";
    if (needsKey && (primaryKey === undefined || primaryKey.length === 0)) {
      return { ok: false, message: `stream ${label(wanted)}: ${wanted.syncMode} needs a primaryKey` };
    }
    out.push({
      stream,
      sync_mode: modes.syncMode,
      destination_sync_mode: modes.destinationSyncMode,
      ...(modes.syncMode === "incremental" && cursor ? { cursor_field: [...cursor] } : {}),
      ...(primaryKey && primaryKey.length > 0 ? { primary_key: primaryKey } : {}),
    });
  }
  return { ok: true, catalog: { streams: out } };
}
