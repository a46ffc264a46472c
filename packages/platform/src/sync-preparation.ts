import { createSecretMasker, validateConfig } from "@weir/cdk";
import { type CompiledStreamMappers, compileStreamMappers, MapperConfigList } from "@weir/mappers";
import type { ConfiguredAirbyteCatalog, ConnectorSpecification } from "@weir/protocol";
import {
  type ConnectorHandle,
  discoverCatalog,
  fetchSpec,
  type StreamStats,
  type SyncFailure,
} from "@weir/runtime";
import type { Kysely } from "kysely";
import { openConfig } from "./config-secrets.js";
import { connectionCatalog } from "./connection-catalog.js";
import { type ActorKind, connectorHandle } from "./connector-definitions.js";
import type { SecretBox } from "./secret-box.js";
import type { StoredStreamStats, StoreTables } from "./store-tables.js";

/** Everything an attempt needs to call `runSync`, or why it cannot start. */
export type Prepared =
  | {
      readonly ok: true;
      readonly source: { handle: ConnectorHandle; config: Record<string, unknown> };
      readonly destination: { handle: ConnectorHandle; config: Record<string, unknown> };
      readonly catalog: ConfiguredAirbyteCatalog;
      readonly mappers: readonly CompiledStreamMappers[];
      readonly mask: (text: string) => string;
    }
  | { readonly ok: false; readonly failure: SyncFailure };

const configFailure = (
  origin: SyncFailure["origin"],
  message: string,
): { ok: false; failure: SyncFailure } => ({
  ok: false,
  failure: { type: "config_error", origin, message },
});

/** Per-stream counters as the store keeps them. */
export const storedStats = (streams: readonly StreamStats[]): StoredStreamStats[] =>
  streams.map((s) => ({
    name: s.name,
    ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
    recordsEmitted: s.recordsEmitted,
    recordsCommitted: s.recordsCommitted,
    bytesEmitted: s.bytesEmitted,
    ...(s.status === undefined ? {} : { status: s.status }),
  }));

async function loadSide(
  db: Kysely<StoreTables>,
  box: SecretBox,
  kind: ActorKind,
  id: string,
): Promise<
  | { ok: true; handle: ConnectorHandle; config: Record<string, unknown>; spec: ConnectorSpecification }
  | { ok: false; failure: SyncFailure }
> {
  const table = kind === "source" ? "sources" : "destinations";
  const row = await db.selectFrom(table).selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined || row.deleted_at !== null)
    return configFailure("platform", `the ${kind} ${id} was deleted`);
  const handle = connectorHandle(kind, row.connector);
  if (handle === undefined) return configFailure(kind, `the ${kind}'s connector cannot be found`);
  const spec = await fetchSpec(handle, { side: kind });
  if (!spec.ok) return { ok: false, failure: spec.failure };
  const valid = validateConfig(spec.value, openConfig(row.config, box));
  if (!valid.ok) return configFailure(kind, `${kind} ${row.name}: ${valid.message}`);
  return { ok: true, handle, config: valid.config as Record<string, unknown>, spec: spec.value };
}

/**
 * Loads a connection's source and destination, checks their configs, discovers the source and
 * builds the configured catalog and mappers. Example: `await prepareSync(db, box, connectionId)`.
 */
export async function prepareSync(
  db: Kysely<StoreTables>,
  box: SecretBox,
  connectionId: string,
): Promise<Prepared> {
  const connection = await db
    .selectFrom("connections")
    .selectAll()
    .where("id", "=", connectionId)
    .executeTakeFirstOrThrow();
  const source = await loadSide(db, box, "source", connection.source_id);
  if (!source.ok) return source;
  const destination = await loadSide(db, box, "destination", connection.destination_id);
  if (!destination.ok) return destination;
  const maskSource = createSecretMasker(source.spec, source.config);
  const maskDestination = createSecretMasker(destination.spec, destination.config);
  const mask = (text: string): string => maskDestination(maskSource(text));
  const discovered = await discoverCatalog(source.handle, source.config, { side: "source" });
  if (!discovered.ok)
    return { ok: false, failure: { ...discovered.failure, message: mask(discovered.failure.message) } };
  const built = connectionCatalog(discovered.value, connection.streams);
  if (!built.ok) return configFailure("platform", built.message);
  const mappers: CompiledStreamMappers[] = [];
  for (const wanted of connection.streams ?? []) {
    if (wanted.mappers === undefined || wanted.mappers.length === 0) continue;
    const configured = built.catalog.streams.find((c) => c.stream.name === wanted.name);
    if (configured === undefined) continue;
    const compiled = compileStreamMappers({
      stream: configured.stream,
      mappers: MapperConfigList.parse(wanted.mappers),
    });
    if (!compiled.ok) return configFailure("platform", `stream ${wanted.name}: ${compiled.failure.message}`);
    mappers.push(compiled.value);
    const ready = await compiled.value.ready();
    if (!ready.ok) return configFailure("platform", `stream ${wanted.name}: ${ready.failure.message}`);
  }
  return {
    ok: true,
    source: { handle: source.handle, config: source.config },
    destination: { handle: destination.handle, config: destination.config },
    catalog: built.catalog,
    mappers,
    mask,
  };
}
