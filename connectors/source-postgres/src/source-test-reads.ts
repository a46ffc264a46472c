import type { SourceConnector } from "@weir/cdk";
import { type InProcessResult, runInProcess } from "@weir/cdk/testing";
import type { AirbyteCatalog, AirbyteStateMessage, ConfiguredAirbyteCatalog, SyncMode } from "@weir/protocol";
import type { SourcePostgresConfig } from "./source-postgres-spec.js";

/** Test helper: discovers, picks streams by name and runs reads of them in-process. */
export class SourceTestReads {
  constructor(
    private readonly source: SourceConnector<SourcePostgresConfig>,
    readonly config: SourcePostgresConfig,
  ) {}

  async catalog(): Promise<AirbyteCatalog> {
    const result = await runInProcess(this.source, { command: "discover", config: this.config });
    if (result.catalog === undefined) throw new Error(`discover failed: ${JSON.stringify(result.errors)}`);
    return result.catalog;
  }

  /** A configured catalog of the named streams (`schema.name` or `name`). */
  async configure(
    names: readonly string[],
    mode: SyncMode,
    cursor?: string,
  ): Promise<ConfiguredAirbyteCatalog> {
    const catalog = await this.catalog();
    return {
      streams: names.map((name) => {
        const stream = catalog.streams.find((s) => s.name === name || `${s.namespace}.${s.name}` === name);
        if (stream === undefined) throw new Error(`no stream ${name}`);
        return {
          stream,
          sync_mode: mode,
          destination_sync_mode: "append" as const,
          cursor_field: cursor === undefined ? null : [cursor],
          primary_key: stream.source_defined_primary_key ?? null,
        };
      }),
    };
  }

  read(catalog: ConfiguredAirbyteCatalog, state?: readonly AirbyteStateMessage[]): Promise<InProcessResult> {
    // A state after every chunk: each is a place where a sync could have stopped.
    const invocation = {
      command: "read" as const,
      config: this.config,
      catalog,
      state: state === undefined ? undefined : [...state],
    };
    return runInProcess(this.source, invocation, { checkpointEvery: 1 });
  }
}

/** The records' data emitted before the state message at `stateIndex` (in `result.states`). */
export function recordsBeforeState(result: InProcessResult, stateIndex: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let states = 0;
  for (const message of result.messages) {
    if (message.type === "STATE") {
      if (states === stateIndex) return out;
      states++;
    } else if (message.type === "RECORD") out.push(message.record.data as Record<string, unknown>);
  }
  throw new Error(`no state ${stateIndex}`);
}
