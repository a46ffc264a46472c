import type {
  AirbyteCatalog,
  AirbyteStream,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  DestinationSyncMode,
  SyncMode,
} from "@weir/protocol";
import { closestMatch } from "./closest-match.js";
import type { Outcome } from "./command-failure.js";
import type { PipelineStream } from "./pipeline-file.js";

/** What the catalog is built from besides the source's catalog. */
export interface CatalogChoices {
  /** The pipeline's `streams:`; undefined selects every stream with default settings. */
  readonly streams: readonly PipelineStream[] | undefined;
  /** `--full-refresh`: every stream full_refresh + overwrite, whatever the pipeline says. */
  readonly fullRefresh: boolean;
  /** From the destination's spec; undefined or empty means it did not say, so anything goes. */
  readonly destinationSyncModes: readonly DestinationSyncMode[] | null | undefined;
  /** For messages, e.g. `pipeline.yaml`. */
  readonly pipelineName: string;
}

const describeStream = (s: { name: string; namespace?: string | null | undefined }): string =>
  s.namespace ? `${s.namespace}.${s.name}` : s.name;

const sameFieldPath = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((part, i) => part === b[i]);

/**
 * The configured catalog a sync runs with. Defaults, per stream: incremental when the source
 * supports it (else full_refresh); append_dedup when incremental with a primary key, append
 * when incremental without one, overwrite for full refresh; cursor and primary key from the
 * pipeline, else the source's. Every choice the pipeline makes is checked against what the
 * source and destination support. Example: `buildConfiguredCatalog(catalog, { streams: undefined, … })`.
 */
export function buildConfiguredCatalog(
  catalog: AirbyteCatalog,
  choices: CatalogChoices,
): Outcome<ConfiguredAirbyteCatalog> {
  const problems: string[] = [];
  const selected: { stream: AirbyteStream; settings: PipelineStream | undefined; label: string }[] = [];
  if (choices.streams === undefined) {
    for (const stream of catalog.streams)
      selected.push({ stream, settings: undefined, label: describeStream(stream) });
  } else {
    const available = catalog.streams.map(describeStream);
    choices.streams.forEach((settings, index) => {
      const stream = catalog.streams.find(
        (s) =>
          s.name === settings.name &&
          (settings.namespace === undefined || (s.namespace ?? "") === settings.namespace),
      );
      if (stream === undefined) {
        const wanted = describeStream(settings);
        const guess = closestMatch(wanted, available);
        problems.push(
          `streams[${index}]: the source has no stream ${wanted}${guess === undefined ? "" : ` (did you mean "${guess}"?)`}; its streams are: ${available.join(", ") || "(none)"}`,
        );
        return;
      }
      selected.push({ stream, settings, label: `streams[${index}] (${describeStream(stream)})` });
    });
  }
  const configured: ConfiguredAirbyteStream[] = [];
  for (const { stream, settings, label } of selected) {
    const result = configureStream(stream, settings, choices);
    if (result.ok) configured.push(result.value);
    else problems.push(`${label}: ${result.problem}`);
  }
  if (problems.length > 0) {
    return {
      ok: false,
      failure: {
        type: "config_error",
        origin: "pipeline",
        message: problems.map((p) => `${choices.pipelineName}: ${p}`).join("\n"),
      },
    };
  }
  if (configured.length === 0) {
    return {
      ok: false,
      failure: {
        type: "config_error",
        origin: "source",
        message: "the source offers no streams: nothing to sync",
      },
    };
  }
  return { ok: true, value: { streams: configured } };
}

type StreamResult = { ok: true; value: ConfiguredAirbyteStream } | { ok: false; problem: string };

function configureStream(
  stream: AirbyteStream,
  settings: PipelineStream | undefined,
  choices: CatalogChoices,
): StreamResult {
  const supported = stream.supported_sync_modes;
  const supportsDestination = (mode: DestinationSyncMode): boolean =>
    !choices.destinationSyncModes?.length || choices.destinationSyncModes.includes(mode);

  let syncMode: SyncMode;
  if (choices.fullRefresh) {
    if (!supported.includes("full_refresh")) {
      return {
        ok: false,
        problem: "--full-refresh: the source cannot read this stream in full_refresh mode",
      };
    }
    syncMode = "full_refresh";
  } else if (settings?.syncMode !== undefined) {
    if (!supported.includes(settings.syncMode)) {
      return {
        ok: false,
        problem: `sync_mode ${settings.syncMode} is not supported by the source (supported: ${supported.join(", ")})`,
      };
    }
    syncMode = settings.syncMode;
  } else {
    syncMode = supported.includes("incremental") ? "incremental" : "full_refresh";
  }

  const sourceCursor = stream.default_cursor_field?.length ? stream.default_cursor_field : undefined;
  let cursorField = settings?.cursorField ?? sourceCursor;
  if (stream.source_defined_cursor && settings?.cursorField !== undefined && sourceCursor !== undefined) {
    if (!sameFieldPath(settings.cursorField, sourceCursor)) {
      return {
        ok: false,
        problem: `cursor_field is defined by the source (${sourceCursor.join(".")}) and cannot be changed`,
      };
    }
  }
  if (syncMode === "incremental" && cursorField === undefined && !stream.source_defined_cursor) {
    return {
      ok: false,
      problem: "incremental needs a cursor_field, and the source defines none for this stream",
    };
  }
  if (syncMode === "full_refresh" && settings?.cursorField === undefined) cursorField = sourceCursor;

  const primaryKey =
    settings?.primaryKey ??
    (stream.source_defined_primary_key?.length ? stream.source_defined_primary_key : undefined);

  let destinationSyncMode: DestinationSyncMode;
  if (choices.fullRefresh) {
    destinationSyncMode = "overwrite";
  } else if (settings?.destinationSyncMode !== undefined) {
    destinationSyncMode = settings.destinationSyncMode;
  } else if (syncMode === "full_refresh") {
    destinationSyncMode = "overwrite";
  } else {
    destinationSyncMode =
      primaryKey !== undefined && supportsDestination("append_dedup") ? "append_dedup" : "append";
  }
  if (destinationSyncMode === "append_dedup" && primaryKey === undefined) {
    return {
      ok: false,
      problem:
        "destination_sync_mode append_dedup needs a primary_key, and the source defines none for this stream",
    };
  }
  if (!supportsDestination(destinationSyncMode)) {
    return {
      ok: false,
      problem: `the destination does not support destination_sync_mode ${destinationSyncMode} (supported: ${choices.destinationSyncModes?.join(", ")})`,
    };
  }

  const configured: ConfiguredAirbyteStream = {
    stream,
    sync_mode: syncMode,
    destination_sync_mode: destinationSyncMode,
  };
  if (cursorField !== undefined) configured.cursor_field = [...cursorField];
  if (primaryKey !== undefined) configured.primary_key = primaryKey.map((part) => [...part]);
  return { ok: true, value: configured };
}
