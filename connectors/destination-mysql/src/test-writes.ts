import type { DestinationConnector } from "@weir/cdk";
import { type InProcessResult, messageInput, runInProcess } from "@weir/cdk/testing";
import {
  type AirbyteMessage,
  type ConfiguredAirbyteStream,
  type DestinationSyncMode,
  recordMessage,
  streamStateMessage,
  streamStatusTrace,
} from "@weir/protocol";

/** Options of a test stream; defaults: append, no key, generation 1. */
export interface TestStreamOptions {
  readonly mode?: DestinationSyncMode;
  readonly primaryKey?: readonly string[];
  readonly cursor?: string;
  readonly generationId?: number;
  readonly minimumGenerationId?: number;
}

/** A configured stream for a destination test. Example: `testStream("users", { id: { type: "integer" } })`. */
export function testStream(
  name: string,
  properties: Record<string, unknown>,
  options: TestStreamOptions = {},
): ConfiguredAirbyteStream {
  return {
    stream: {
      name,
      json_schema: { type: "object", properties },
      supported_sync_modes: ["full_refresh", "incremental"],
    },
    sync_mode: "incremental",
    destination_sync_mode: options.mode ?? "append",
    ...(options.primaryKey === undefined ? {} : { primary_key: options.primaryKey.map((k) => [k]) }),
    ...(options.cursor === undefined ? {} : { cursor_field: [options.cursor] }),
    generation_id: options.generationId ?? 1,
    minimum_generation_id: options.minimumGenerationId ?? 0,
    sync_id: 42,
  };
}

/** A RECORD message of a test stream. */
export const testRecord = (
  stream: string,
  data: Record<string, unknown>,
  emittedAt = Date.now(),
): AirbyteMessage => recordMessage(stream, data, { emittedAt });

/**
 * Runs `write` with the records, a STATE after each group, and COMPLETE for the streams in
 * `complete` (default: all). Example: `await writeGroups(destination, config, [stream], [[rec1, rec2], [rec3]])`.
 */
export function writeGroups(
  destination: DestinationConnector<never>,
  config: unknown,
  streams: readonly ConfiguredAirbyteStream[],
  groups: readonly (readonly AirbyteMessage[])[],
  options: { readonly complete?: readonly string[] } = {},
): Promise<InProcessResult> {
  const messages: AirbyteMessage[] = [];
  groups.forEach((group, i) => {
    messages.push(...group);
    const streamsInGroup = new Set(group.flatMap((m) => (m.type === "RECORD" ? [m.record.stream] : [])));
    for (const name of streamsInGroup) {
      const count = group.filter((m) => m.type === "RECORD" && m.record.stream === name).length;
      messages.push(streamStateMessage({ name }, { group: i }, count));
    }
  });
  for (const name of options.complete ?? streams.map((s) => s.stream.name)) {
    messages.push(streamStatusTrace({ name }, "COMPLETE"));
  }
  return runInProcess(destination, {
    command: "write",
    config,
    catalog: { streams: [...streams] },
    input: messageInput(messages, 7),
  });
}
