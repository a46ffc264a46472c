import { type AirbyteRecordMessage, type AirbyteStateMessage, streamKey } from "@weir/protocol";
import type { ConnectorOutput } from "./connector-output.js";
import {
  compareCursors,
  countIdentities,
  describeRecord,
  recordIdentity,
  valueAtPath,
} from "./record-identity.js";
import { recordStreamKey } from "./stream-names.js";

type Key = readonly (readonly string[])[];

/** A STATE of one stream in a read, and how many of the stream's records came before it. */
export interface Checkpoint {
  readonly state: AirbyteStateMessage;
  readonly recordsBefore: number;
  /** Its place among the stream's checkpoints, from 0. */
  readonly position: number;
}

/** One stream's records in a read, and its checkpoints (its STREAM states, and GLOBAL ones). */
export function checkpointsOf(
  output: ConnectorOutput,
  key: string,
): { records: AirbyteRecordMessage[]; checkpoints: Checkpoint[] } {
  const records: AirbyteRecordMessage[] = [];
  const checkpoints: Checkpoint[] = [];
  for (const message of output.messages) {
    if (message.type === "RECORD" && recordStreamKey(message.record) === key) records.push(message.record);
    else if (message.type === "STATE") {
      const { state } = message;
      const descriptor = state.stream?.stream_descriptor;
      const ours = state.type === "GLOBAL" || (descriptor != null && streamKey(descriptor) === key);
      if (ours) checkpoints.push({ state, recordsBefore: records.length, position: checkpoints.length });
    }
  }
  return { records, checkpoints };
}

/** At most `max` checkpoints spread evenly, always with the last one. */
export function sampleCheckpoints(checkpoints: readonly Checkpoint[], max: number): Checkpoint[] {
  if (checkpoints.length <= max) return [...checkpoints];
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(Math.round(((i + 1) * (checkpoints.length - 1)) / max));
  return [...picked]
    .sort((a, b) => a - b)
    .flatMap((i) => (checkpoints[i] === undefined ? [] : [checkpoints[i]]));
}

/** What one resume got wrong: the records of the full read up to the checkpoint plus the resumed read must be the full read. */
export interface ResumeInput {
  /** The stream's records in the full read, in order. */
  readonly full: readonly AirbyteRecordMessage[];
  readonly checkpoint: Checkpoint;
  /** The stream's records when reading again from the checkpoint's state. */
  readonly resumed: readonly AirbyteRecordMessage[];
  readonly primaryKey: Key | undefined;
  /** The cursor field, when records hold it: records at the checkpoint's cursor value may come again (inclusive cursors). */
  readonly cursor: readonly string[] | undefined;
}

/**
 * Compares prefix + resumed with the full read, record by record (by primary key, else by
 * data): records lost, records repeated (except those sitting exactly on the checkpoint's cursor
 * value, which an inclusive cursor sends again, as Airbyte allows), records the full read never had.
 */
export function resumeProblems(input: ResumeInput): string[] {
  const { full, resumed, primaryKey, cursor } = input;
  const prefix = full.slice(0, input.checkpoint.recordsBefore);
  const identity = (r: AirbyteRecordMessage) => recordIdentity(r.data, primaryKey);
  const dataOf = new Map([...full, ...resumed].map((r) => [identity(r), r.data]));
  const [all, before, after] = [full, prefix, resumed].map((list) => countIdentities(list.map(identity))) as [
    Map<string, number>,
    Map<string, number>,
    Map<string, number>,
  ];
  let boundary: unknown;
  if (cursor !== undefined) {
    for (const record of prefix) {
      const value = valueAtPath(record.data, cursor);
      if (value == null) continue;
      if (boundary === undefined || (compareCursors(value, boundary) ?? 0) > 0) boundary = value;
    }
  }
  const onBoundary = new Set(
    prefix
      .filter(
        (r) =>
          cursor !== undefined &&
          boundary !== undefined &&
          compareCursors(valueAtPath(r.data, cursor), boundary) === 0,
      )
      .map(identity),
  );
  const lost: string[] = [];
  const repeated: string[] = [];
  const unknown: string[] = [];
  for (const id of new Set([...all.keys(), ...after.keys()])) {
    const expected = all.get(id) ?? 0;
    const got = (before.get(id) ?? 0) + (after.get(id) ?? 0);
    if (expected === 0) unknown.push(id);
    else if (got < expected) lost.push(id);
    else if (got > expected && !onBoundary.has(id)) repeated.push(id);
  }
  const example = (ids: string[]) => describeRecord(dataOf.get(ids[0] ?? ""), primaryKey);
  const problems: string[] = [];
  if (lost.length > 0) problems.push(`lost ${lost.length} record(s), e.g. ${example(lost)}`);
  if (repeated.length > 0) problems.push(`repeated ${repeated.length} record(s), e.g. ${example(repeated)}`);
  if (unknown.length > 0) {
    problems.push(`${unknown.length} record(s) the full read did not have, e.g. ${example(unknown)}`);
  }
  return problems;
}
