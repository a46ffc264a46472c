import {
  type AirbyteCatalog,
  type AirbyteStream,
  type ConfiguredAirbyteCatalog,
  type ConfiguredAirbyteStream,
  type SyncMode,
  streamKey,
} from "@weir/protocol";
import { streamLabel } from "./stream-names.js";

/** A configured catalog for one sync mode, and the chosen streams discover did not list. */
export interface ReadCatalog {
  readonly catalog: ConfiguredAirbyteCatalog;
  readonly notDiscovered: readonly string[];
}

function configure(
  stream: AirbyteStream,
  mode: SyncMode,
  chosen?: ConfiguredAirbyteStream,
): ConfiguredAirbyteStream {
  const configured: ConfiguredAirbyteStream = { stream, sync_mode: mode, destination_sync_mode: "append" };
  const cursor = chosen?.cursor_field?.length ? chosen.cursor_field : stream.default_cursor_field;
  if (cursor?.length) configured.cursor_field = [...cursor];
  const key = chosen?.primary_key?.length ? chosen.primary_key : stream.source_defined_primary_key;
  if (key?.length) configured.primary_key = key.map((path) => [...path]);
  return configured;
}

/**
 * The streams to read in `mode`, as Airbyte's acceptance tests build them: the chosen
 * catalog's streams (or every discovered one) that support the mode, each with its discovered
 * definition, the chosen (else default) cursor and the chosen (else source-defined) primary key.
 * Example: `readCatalog(discovered, "incremental", userCatalog).catalog`
 */
export function readCatalog(
  discovered: AirbyteCatalog,
  mode: SyncMode,
  chosen?: ConfiguredAirbyteCatalog,
): ReadCatalog {
  const byKey = new Map(discovered.streams.map((s) => [streamKey(s), s]));
  const streams: ConfiguredAirbyteStream[] = [];
  const notDiscovered: string[] = [];
  if (chosen === undefined) {
    for (const stream of discovered.streams) {
      if (stream.supported_sync_modes.includes(mode)) streams.push(configure(stream, mode));
    }
    return { catalog: { streams }, notDiscovered };
  }
  for (const configured of chosen.streams) {
    const stream = byKey.get(streamKey(configured.stream));
    if (stream === undefined) notDiscovered.push(streamLabel(configured.stream));
    else if (stream.supported_sync_modes.includes(mode)) streams.push(configure(stream, mode, configured));
  }
  return { catalog: { streams }, notDiscovered };
}

/** The primary key in force: configured, else source-defined; undefined when there is none. */
export function primaryKeyOf(
  configured: ConfiguredAirbyteStream,
): readonly (readonly string[])[] | undefined {
  if (configured.primary_key?.length) return configured.primary_key;
  const key = configured.stream.source_defined_primary_key;
  return key?.length ? key : undefined;
}

/** The cursor in force: the source's own when it defines it, else configured, else default. */
export function cursorOf(configured: ConfiguredAirbyteStream): {
  readonly path: readonly string[] | undefined;
  readonly sourceDefined: boolean;
} {
  const stream = configured.stream;
  const sourceDefined = stream.source_defined_cursor === true;
  const fallback = stream.default_cursor_field?.length ? stream.default_cursor_field : undefined;
  if (sourceDefined) return { path: fallback, sourceDefined };
  return { path: configured.cursor_field?.length ? configured.cursor_field : fallback, sourceDefined };
}

/** The catalog with only the given stream. */
export const onlyStream = (configured: ConfiguredAirbyteStream): ConfiguredAirbyteCatalog => ({
  streams: [configured],
});
