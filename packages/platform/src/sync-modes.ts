import type { DestinationSyncMode, SyncMode } from "@weir/protocol";

/** Airbyte's API sync modes: a source mode and a destination mode in one word. */
export const CONNECTION_SYNC_MODES = [
  "full_refresh_overwrite",
  "full_refresh_overwrite_deduped",
  "full_refresh_append",
  "full_refresh_update",
  "full_refresh_soft_delete",
  "incremental_append",
  "incremental_deduped_history",
  "incremental_update",
  "incremental_soft_delete",
] as const;

export type ConnectionSyncMode = (typeof CONNECTION_SYNC_MODES)[number];

const DESTINATION_MODES: Record<string, DestinationSyncMode> = {
  overwrite: "overwrite",
  append: "append",
  update: "update",
  soft_delete: "soft_delete",
  deduped_history: "append_dedup",
};

/**
 * The protocol's two modes for an API mode; undefined for `full_refresh_overwrite_deduped`,
 * which the protocol version we speak has no destination mode for.
 * Example: `protocolSyncModes("incremental_deduped_history") // { syncMode: "incremental", destinationSyncMode: "append_dedup" }`
 */
export function protocolSyncModes(
  mode: ConnectionSyncMode,
): { syncMode: SyncMode; destinationSyncMode: DestinationSyncMode } | undefined {
  const syncMode: SyncMode = mode.startsWith("incremental_") ? "incremental" : "full_refresh";
  const rest = mode.slice(syncMode === "incremental" ? "incremental_".length : "full_refresh_".length);
  const destinationSyncMode = DESTINATION_MODES[rest];
  return destinationSyncMode === undefined ? undefined : { syncMode, destinationSyncMode };
}
