import { resolve } from "node:path";
import { configError, type DestinationWriter, type WriteContext, type WriteResult } from "@weir/cdk";
import { type AirbyteRecordMessage, type ConfiguredAirbyteStream, streamKey } from "@weir/protocol";
import type { JsonlDestinationConfig } from "./destination-jsonl-spec.js";
import { type FileMode, JsonlStreamFile } from "./jsonl-stream-file.js";
import { streamFilePath } from "./stream-file-path.js";

const describe = (c: ConfiguredAirbyteStream): string =>
  c.stream.namespace ? `${c.stream.namespace}.${c.stream.name}` : c.stream.name;

/** How a configured stream is written; a mode this destination cannot do is a config error. */
export function fileModeOf(configured: ConfiguredAirbyteStream): FileMode {
  const mode = configured.destination_sync_mode;
  if (mode === "overwrite") return "overwrite";
  if (mode === "append") {
    // A refresh-capable platform sends "overwrite" as append with minimum = current generation.
    const generation = configured.generation_id;
    return generation != null && generation > 0 && configured.minimum_generation_id === generation
      ? "overwrite"
      : "append";
  }
  throw configError(
    `Stream ${describe(configured)}: destination-jsonl does not support the destination sync mode ${mode}; use append or overwrite.`,
  );
}

/** Runs `fn` on every item, then throws the first failure, so one bad file does not strand the rest. */
async function settleEach<T>(items: Iterable<T>, fn: (item: T) => Promise<void>): Promise<void> {
  let first: { error: unknown } | undefined;
  for (const item of items) {
    try {
      await fn(item);
    } catch (error) {
      first ??= { error };
    }
  }
  if (first !== undefined) throw first.error;
}

/** Opens one file per configured stream. Example: `await openJsonlWriter(ctx)`. */
export async function openJsonlWriter(ctx: WriteContext<JsonlDestinationConfig>): Promise<DestinationWriter> {
  const root = resolve(ctx.config.destination_path);
  const plan = new Map<string, { configured: ConfiguredAirbyteStream; mode: FileMode; path: string }>();
  for (const configured of ctx.catalog.streams) {
    const key = streamKey(configured.stream);
    if (plan.has(key))
      throw configError(`Stream ${describe(configured)} appears twice in the configured catalog.`);
    plan.set(key, {
      configured,
      mode: fileModeOf(configured),
      path: streamFilePath(root, configured.stream),
    });
  }

  const files = new Map<string, JsonlStreamFile>();
  try {
    for (const [key, { configured, mode, path }] of plan) {
      files.set(key, await JsonlStreamFile.open(path, mode, configured, ctx.logger));
    }
  } catch (error) {
    await settleEach(files.values(), (file) => file.finish(false)).catch(() => {});
    throw error;
  }

  const deferredStreams = new Set([...plan].filter(([, p]) => p.mode === "overwrite").map(([key]) => key));

  return {
    deferredStreams,
    async write(records: readonly AirbyteRecordMessage[]): Promise<void> {
      const full = new Set<JsonlStreamFile>();
      for (const record of records) {
        const file = files.get(streamKey({ name: record.stream, namespace: record.namespace }));
        // The CDK drops records of streams outside the catalog before they get here.
        if (file?.add(record)) full.add(file);
      }
      for (const file of full) await file.writeBuffer();
    },
    flush: () => settleEach(files.values(), (file) => file.sync()),
    close: (result: WriteResult) =>
      settleEach(files, ([key, file]) => file.finish(result.ok && result.completeStreams.has(key))),
  };
}
