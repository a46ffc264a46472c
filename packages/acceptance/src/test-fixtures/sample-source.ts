import { defineSource, type RecordData, type SourceConnector, type StreamDefinition } from "@weir/cdk";
import type { ConnectorSpecification } from "@weir/protocol";

// A small, correct CDK source ("users" incremental on updated_at, "events" full refresh), and
// a way to replace one part of it: each test breaks one rule the way a real connector would.

export interface SampleConfig {
  readonly count: number;
  readonly password?: string;
}

type Stream = StreamDefinition<SampleConfig>;

export const SAMPLE_SPEC: ConnectorSpecification = {
  connectionSpecification: {
    type: "object",
    required: ["count"],
    properties: {
      count: { type: "integer", minimum: 0 },
      password: { type: "string", airbyte_secret: true },
    },
  },
};

export const updatedAt = (id: number): string => `2024-02-${String(id).padStart(2, "0")}T08:00:00+00:00`;

export const user = (id: number): RecordData => ({ id, name: `user ${id}`, updated_at: updatedAt(id) });

/** Users after the state's cursor, two per chunk, each chunk with its state. */
async function* readUsers({
  config,
  state,
  syncMode,
}: Parameters<Stream["read"]>[0]): AsyncGenerator<{ records: RecordData[]; state?: unknown }> {
  const from =
    syncMode === "incremental" ? (state as { updated_at?: string } | undefined)?.updated_at : undefined;
  let batch: RecordData[] = [];
  for (let id = 1; id <= config.count; id++) {
    if (from !== undefined && updatedAt(id) <= from) continue;
    batch.push(user(id));
    if (batch.length === 2) {
      yield { records: batch, state: { updated_at: batch.at(-1)?.updated_at } };
      batch = [];
    }
  }
  yield { records: batch, state: { updated_at: batch.at(-1)?.updated_at ?? from ?? null } };
}

export const USERS: Stream = {
  name: "users",
  jsonSchema: {
    type: "object",
    properties: {
      id: { type: "integer" },
      name: { type: "string" },
      updated_at: { type: "string", format: "date-time" },
    },
  },
  supportedSyncModes: ["full_refresh", "incremental"],
  primaryKey: [["id"]],
  defaultCursorField: ["updated_at"],
  sourceDefinedCursor: true,
  read: readUsers,
};

export const EVENTS: Stream = {
  name: "events",
  jsonSchema: { type: "object", properties: { kind: { type: "string" } } },
  supportedSyncModes: ["full_refresh"],
  async *read() {
    yield { records: [{ kind: "signup" }, { kind: "login" }] };
  },
};

/** What to change in the sample source. */
export interface SampleChanges {
  readonly spec?: ConnectorSpecification;
  readonly users?: Partial<Stream>;
  readonly events?: Partial<Stream> | null;
  readonly check?: SourceConnector<SampleConfig>["check"];
}

/** Example: `sampleSource({ users: { primaryKey: [["uid"]] } })`. */
export function sampleSource(changes: SampleChanges = {}): SourceConnector<SampleConfig> {
  const streams: Stream[] = [{ ...USERS, ...changes.users }];
  if (changes.events !== null) streams.push({ ...EVENTS, ...changes.events });
  return defineSource<SampleConfig>({
    name: "source-sample",
    version: "0.0.1",
    spec: changes.spec ?? SAMPLE_SPEC,
    // A STATE after every chunk, so there are checkpoints to resume from.
    checkpointEvery: 1,
    ...(changes.check === undefined ? {} : { check: changes.check }),
    streams: () => streams,
  });
}

export const SAMPLE_CONFIG: SampleConfig = { count: 5, password: "hunter2-hunter2" };
