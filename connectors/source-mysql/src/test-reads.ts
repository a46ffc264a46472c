import type { SourceConnector } from "@weir/cdk";
import { type InProcessResult, runInProcess } from "@weir/cdk/testing";
import type {
  AirbyteCatalog,
  AirbyteStream,
  ConfiguredAirbyteCatalog,
  StateInput,
  SyncMode,
} from "@weir/protocol";

/** The discovered catalog, or a thrown error naming what discover said. Example: `await discover(source, config)`. */
export async function discover(source: SourceConnector<never>, config: unknown): Promise<AirbyteCatalog> {
  const result = await runInProcess(source, { command: "discover", config });
  if (result.catalog === undefined) throw new Error(`discover failed: ${JSON.stringify(result.errors)}`);
  return result.catalog;
}

/** The discovered stream of that name. */
export function streamNamed(catalog: AirbyteCatalog, name: string): AirbyteStream {
  const stream = catalog.streams.find((s) => s.name === name);
  if (stream === undefined)
    throw new Error(`no stream ${name} in ${catalog.streams.map((s) => s.name).join(", ")}`);
  return stream;
}

/** A catalog configuring one stream. Example: `configure(stream, "incremental", ["updated_at"])`. */
export function configure(
  stream: AirbyteStream,
  mode: SyncMode,
  cursor?: readonly string[],
): ConfiguredAirbyteCatalog {
  return {
    streams: [
      {
        stream,
        sync_mode: mode,
        destination_sync_mode: "append",
        ...(cursor === undefined ? {} : { cursor_field: [...cursor] }),
      },
    ],
  };
}

/** Reads one configured catalog with an optional state and checkpoint interval. */
export function read(
  source: SourceConnector<never>,
  config: unknown,
  catalog: ConfiguredAirbyteCatalog,
  state?: StateInput,
  checkpointEvery?: number,
): Promise<InProcessResult> {
  return runInProcess(
    source,
    { command: "read", config, catalog, ...(state === undefined ? {} : { state }) },
    checkpointEvery === undefined ? {} : { checkpointEvery },
  );
}

/** The last STATE of a read as the next read's input (an array of one STREAM state). */
export function lastState(result: InProcessResult): StateInput {
  const last = result.states.at(-1);
  if (last === undefined) throw new Error("the read emitted no STATE");
  return [last];
}
