import { createSecretMasker, validateConfig } from "@weir/cdk";
import { type CompiledStreamMappers, compileStreamMappers } from "@weir/mappers";
import type { ConfiguredAirbyteCatalog, ConnectorSpecification, StreamDescriptor } from "@weir/protocol";
import {
  type ConnectorHandle,
  discoverCatalog,
  fetchSpec,
  type StreamRecordMapper,
  type SyncLogEntry,
} from "@weir/runtime";
import type { CommandFailure, Outcome } from "./command-failure.js";
import { buildConfiguredCatalog } from "./configured-catalog.js";
import { type ConnectorSide, resolveConnector } from "./connector-resolution.js";
import type { Pipeline } from "./pipeline-file.js";

/** Both connectors resolved, configs checked, catalog built: everything `runSync` needs. */
export interface PreparedSync {
  readonly source: { readonly handle: ConnectorHandle; readonly config: Record<string, unknown> };
  readonly destination: { readonly handle: ConnectorHandle; readonly config: Record<string, unknown> };
  readonly catalog: ConfiguredAirbyteCatalog;
  /** The streams' mappers, compiled and ready; `closeMappers` stops their workers. */
  readonly mappers: readonly StreamRecordMapper[];
  closeMappers(): Promise<void>;
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
  const mappers = await prepareMappers(pipeline, catalog.value);
  if (!mappers.ok) return mappers;
  const compiled = mappers.value;
  return {
    ok: true,
    value: {
      source: { handle: source.value.handle, config: source.value.config },
      destination: { handle: destination.value.handle, config: destination.value.config },
      catalog: catalog.value,
      mappers: compiled.map(({ stream, mappers }) => ({
        stream,
        schema: mappers.schema,
        mapBatch: (records) => mappers.mapBatch(records),
      })),
      closeMappers: async () => {
        await Promise.all(compiled.map(({ mappers }) => mappers.close()));
      },
    },
  };
}

/**
 * Compiles each stream's mappers against the schema the source discovered: a mapper naming a
 * field the stream lacks, a missing key or a filter that does not parse stops here, before
 * any data moves.
 */
async function prepareMappers(
  pipeline: Pipeline,
  catalog: ConfiguredAirbyteCatalog,
): Promise<Outcome<{ stream: StreamDescriptor; mappers: CompiledStreamMappers }[]>> {
  const out: { stream: StreamDescriptor; mappers: CompiledStreamMappers }[] = [];
  const close = () => Promise.all(out.map(({ mappers }) => mappers.close()));
  const failed = async (index: number, message: string): Promise<Outcome<never>> => {
    await close();
    return {
      ok: false,
      failure: {
        type: "config_error",
        origin: "platform",
        message: `${pipeline.displayPath}: streams[${index}]: ${message}`,
      },
    };
  };
  for (const [index, wanted] of (pipeline.streams ?? []).entries()) {
    if (wanted.mappers.length === 0 && wanted.validation === "off") continue;
    const configured = catalog.streams.find(
      (c) =>
        c.stream.name === wanted.name &&
        (wanted.namespace === undefined || c.stream.namespace === wanted.namespace),
    );
    if (configured === undefined) continue;
    const compiled = compileStreamMappers({
      stream: configured.stream,
      mappers: wanted.mappers,
      validation: wanted.validation,
      baseDirectory: pipeline.dir,
    });
    if (!compiled.ok) return failed(index, compiled.failure.message);
    out.push({
      stream: { name: configured.stream.name, namespace: configured.stream.namespace ?? undefined },
      mappers: compiled.value,
    });
    const ready = await compiled.value.ready();
    if (!ready.ok) return failed(index, ready.failure.message);
  }
  return { ok: true, value: out };
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
