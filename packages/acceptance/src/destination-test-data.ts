import {
  type AirbyteMessage,
  type AirbyteStateMessage,
  type ConfiguredAirbyteCatalog,
  recordMessage,
  streamStateMessage,
  streamStatusTrace,
} from "@weir/protocol";

/** The destination sync modes the write checks exercise. */
export type TestedMode = "append" | "overwrite" | "append_dedup";
export const TESTED_MODES: readonly TestedMode[] = ["append", "overwrite", "append_dedup"];

/** One generated record (a type, not an interface: it is record data, a plain JSON object). */
export type TestRow = {
  readonly id: number;
  readonly name: string;
  readonly score: number;
  readonly active: boolean;
  readonly updated_at: string;
};

/** The schema every generated record conforms to: one of each common type, keyed by id, cursor updated_at. */
export const TEST_STREAM_SCHEMA = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: ["null", "string"] },
    score: { type: ["null", "number"] },
    active: { type: ["null", "boolean"] },
    updated_at: { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
  },
} as const;

const pad = (n: number) => String(n).padStart(2, "0");

/** Rows `ids` in version `version` (a later version is a later update of the same rows). */
export function testRows(ids: readonly number[], version: number): TestRow[] {
  return ids.map((id) => ({
    id,
    name: `row ${id} v${version}`,
    score: id + 0.5,
    active: id % 2 === 0,
    updated_at: `2024-${pad(version)}-${pad(id)}T12:00:00+00:00`,
  }));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Two writes per mode, and what the destination must hold after both. */
export interface WritePlan {
  readonly first: readonly TestRow[];
  readonly second: readonly TestRow[];
  readonly expected: readonly TestRow[];
}

export const WRITE_PLANS: Readonly<Record<TestedMode, WritePlan>> = {
  append: {
    first: testRows(range(1, 5), 1),
    second: testRows(range(6, 8), 1),
    expected: testRows(range(1, 8), 1),
  },
  overwrite: {
    first: testRows(range(1, 5), 1),
    second: testRows(range(6, 8), 1),
    expected: testRows(range(6, 8), 1),
  },
  append_dedup: {
    first: testRows(range(1, 5), 1),
    second: testRows(range(3, 7), 2),
    expected: [...testRows([1, 2], 1), ...testRows(range(3, 7), 2)],
  },
};

/**
 * The catalog a destination gets for write number `generation` of a mode: one stream, keyed by
 * id, cursor updated_at; an overwrite is also a truncate refresh (minimum_generation_id ==
 * generation_id), as Airbyte's platform sends it to destinations that support refreshes.
 */
export function testCatalog(stream: string, mode: TestedMode, generation: number): ConfiguredAirbyteCatalog {
  return {
    streams: [
      {
        stream: {
          name: stream,
          json_schema: structuredClone(TEST_STREAM_SCHEMA) as unknown as Record<string, unknown>,
          supported_sync_modes: ["full_refresh", "incremental"],
          default_cursor_field: ["updated_at"],
          source_defined_primary_key: [["id"]],
        },
        sync_mode: mode === "overwrite" ? "full_refresh" : "incremental",
        destination_sync_mode: mode,
        cursor_field: ["updated_at"],
        primary_key: [["id"]],
        generation_id: generation,
        minimum_generation_id: mode === "overwrite" ? generation : 0,
        sync_id: generation,
      },
    ],
  };
}

/** A write's input: the rows in two batches, a STATE after each, then the stream's COMPLETE status. */
export interface TestInput {
  readonly messages: readonly AirbyteMessage[];
  readonly states: readonly AirbyteStateMessage[];
  /** For each state, how many records came since the previous one. */
  readonly recordsBefore: readonly number[];
}

export function testInput(stream: string, rows: readonly TestRow[]): TestInput {
  const half = Math.ceil(rows.length / 2);
  const batches = [rows.slice(0, half), rows.slice(half)].filter((b) => b.length > 0);
  const messages: AirbyteMessage[] = [];
  const states: AirbyteStateMessage[] = [];
  const recordsBefore: number[] = [];
  for (const [i, batch] of batches.entries()) {
    for (const row of batch) messages.push(recordMessage(stream, { ...row }));
    const state = streamStateMessage(
      { name: stream },
      { updated_at: batch.at(-1)?.updated_at, batch: i + 1 },
      batch.length,
    );
    messages.push(state);
    states.push(state.state);
    recordsBefore.push(batch.length);
  }
  messages.push(streamStatusTrace({ name: stream }, "COMPLETE"));
  return { messages, states, recordsBefore };
}
