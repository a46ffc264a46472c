import { createSecretMasker, validateConfig } from "@weir/cdk";
import type { ConfiguredAirbyteCatalog, ConnectorSpecification } from "@weir/protocol";
import { type ConnectorHandle, discoverCatalog, fetchSpec, type SyncLogEntry } from "@weir/runtime";
import type { CommandFailure, Outcome } from "./command-failure.js";
import { buildConfiguredCatalog } from "./configured-catalog.js";
import { type ConnectorSide, resolveConnector } from "./connector-resolution.js";
import type { Pipeline } from "./pipeline-file.js";

/** Both connectors resolved, configs checked, catalog built: everything `runSync` needs. */
export interface PreparedSync {
  readonly source: { readonly handle: ConnectorHandle; readonly config: Record<string, unknown> };
  readonly destination: { readonly handle: ConnectorHandle; readonly config: Record<string, unknown> };
  readonly catalog: ConfiguredAirbyteCatalog;
}

/** What preparation reports back while it runs. */
export interface PreparationContext {
  /** Called with each connector's secret masker as soon as its spec is known. */
  addMasker(mask: (text: string) => string): void;
  onLog(entry: SyncLogEntry): void;
}

interface SideReady {
  readonly handle: ConnectorHandle;
  readonly spec: ConnectorSpecification;
  readonly config: Record<string, unknown>;
}

const withOrigin = (
  failure: CommandFailure,
  side: ConnectorSide,
): { ok: false; failure: CommandFailure } => ({
  ok: false,
  failure: { ...failure, origin: side },
});

/**
 * Resolves both connectors, fetches their specs, validates each config against its spec (the
 * message names the field, as `source.config.count`, never a secret's value), discovers the
 * source's streams and builds the configured catalog. Example:
 * `const ready = await prepareSync(pipeline, { fullRefresh: false }, context)`.
 */
export async function prepareSync(
  pipeline: Pipeline,
  options: { readonly fullRefresh: boolean },
  context: PreparationContext,
): Promise<Outcome<PreparedSync>> {
  const [source, destination] = await Promise.all([
    prepareSide(pipeline, "source", context),
    prepareSide(pipeline, "destination", context),
  ]);
  if (!source.ok) return source;
  if (!destination.ok) return destination;
  const discovered = await discoverCatalog(source.value.handle, source.value.config, {
    side: "source",
    onLog: context.onLog,
  });
  if (!discovered.ok) return withOrigin(discovered.failure, "source");
  const catalog = buildConfiguredCatalog(discovered.value, {
    streams: pipeline.streams,
    fullRefresh: options.fullRefresh,
    destinationSyncModes: destination.value.spec.supported_destination_sync_modes,
    pipelineName: pipeline.displayPath,
  });
  if (!catalog.ok) return catalog;
  return {
    ok: true,
    value: {
      source: { handle: source.value.handle, config: source.value.config },
      destination: { handle: destination.value.handle, config: destination.value.config },
      catalog: catalog.value,
    },
  };
}

async function prepareSide(
  pipeline: Pipeline,
  side: ConnectorSide,
  context: PreparationContext,
): Promise<Outcome<SideReady>> {
  const ref = pipeline[side];
  const resolved = resolveConnector(ref, side, pipeline.displayPath);
  if (!resolved.ok) return resolved;
  const spec = await fetchSpec(resolved.value, { side, onLog: context.onLog });
  if (!spec.ok) return withOrigin(spec.failure, side);
  context.addMasker(createSecretMasker(spec.value, ref.config));
  const validation = validateConfig(spec.value, ref.config);
  if (!validation.ok) {
    const lines = validation.issues.map(
      (issue) =>
        `${pipeline.displayPath}: ${side}.config${issue.path === "" ? "" : `.${issue.path}`}: ${issue.message}`,
    );
    return { ok: false, failure: { type: "config_error", origin: side, message: lines.join("\n") } };
  }
  // The connector gets the config as written: it applies its spec's defaults itself.
  return { ok: true, value: { handle: resolved.value, spec: spec.value, config: ref.config } };
}
