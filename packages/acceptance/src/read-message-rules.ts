import {
  type AirbyteStreamStatus,
  type ConfiguredAirbyteCatalog,
  type StreamDescriptor,
  streamKey,
} from "@weir/protocol";
import type { ConnectorOutput } from "./connector-output.js";
import { recordStreamKey, streamLabel } from "./stream-names.js";

const configuredKeys = (catalog: ConfiguredAirbyteCatalog): Set<string> =>
  new Set(catalog.streams.map((c) => streamKey(c.stream)));

/**
 * What is wrong with a read's STATE messages: LEGACY (or untyped) state, a stream the catalog
 * does not configure, a missing or wrong `sourceStats.recordCount` (the records of the stream,
 * or of all streams for GLOBAL, since the previous state). Example: `stateProblems(output, catalog)`.
 */
export function stateProblems(output: ConnectorOutput, catalog: ConfiguredAirbyteCatalog): string[] {
  const configured = configuredKeys(catalog);
  const problems: string[] = [];
  const since = new Map<string, number>();
  let sinceAny = 0;
  const unknown = (descriptor: StreamDescriptor) =>
    `a STATE for stream "${streamLabel(descriptor)}", which is not in the configured catalog`;
  const checkCount = (label: string, count: number | null | undefined, expected: number) => {
    if (count == null) problems.push(`${label}: a STATE without sourceStats.recordCount`);
    else if (count !== expected) {
      problems.push(
        `${label}: a STATE counts ${count} records where ${expected} came since the previous one`,
      );
    }
  };
  for (const message of output.messages) {
    if (message.type === "RECORD") {
      const key = recordStreamKey(message.record);
      since.set(key, (since.get(key) ?? 0) + 1);
      sinceAny++;
      continue;
    }
    if (message.type !== "STATE") continue;
    const state = message.state;
    if (state.type === "STREAM") {
      const descriptor = state.stream?.stream_descriptor;
      if (descriptor == null) {
        problems.push("a STREAM state without stream_descriptor");
        continue;
      }
      const key = streamKey(descriptor);
      if (!configured.has(key)) problems.push(unknown(descriptor));
      else checkCount(streamLabel(descriptor), state.sourceStats?.recordCount, since.get(key) ?? 0);
      since.set(key, 0);
    } else if (state.type === "GLOBAL") {
      for (const entry of state.global?.stream_states ?? []) {
        if (!configured.has(streamKey(entry.stream_descriptor)))
          problems.push(unknown(entry.stream_descriptor));
      }
      checkCount("GLOBAL", state.sourceStats?.recordCount, sinceAny);
      since.clear();
    } else {
      problems.push("a LEGACY state (type LEGACY or none): Airbyte wants STREAM or GLOBAL state");
    }
    sinceAny = 0;
  }
  return problems;
}

/**
 * What is wrong with a read's stream statuses: each configured stream runs STARTED, RUNNING…
 * (at least one when it emitted records), COMPLETE; no status for a stream not configured.
 * Undefined when the read emitted no status at all (statuses are optional).
 */
export function streamStatusProblems(
  output: ConnectorOutput,
  catalog: ConfiguredAirbyteCatalog,
): string[] | undefined {
  if (output.statuses.length === 0) return undefined;
  const configured = configuredKeys(catalog);
  const byStream = new Map<string, AirbyteStreamStatus[]>();
  const problems: string[] = [];
  for (const status of output.statuses) {
    const key = streamKey(status.stream_descriptor);
    if (!configured.has(key)) {
      problems.push(
        `a status for stream "${streamLabel(status.stream_descriptor)}", which is not configured`,
      );
      continue;
    }
    byStream.set(key, [...(byStream.get(key) ?? []), status.status]);
  }
  const withRecords = new Set(output.records.map(recordStreamKey));
  for (const { stream } of catalog.streams) {
    const label = streamLabel(stream);
    const list = byStream.get(streamKey(stream)) ?? [];
    if (list.length === 0) {
      problems.push(`${label}: no stream status`);
      continue;
    }
    const shown = list.join(" → ");
    const middle = list.slice(1, -1);
    if (list[0] !== "STARTED") problems.push(`${label}: ${shown} does not begin with STARTED`);
    else if (list.length < 2 || list.at(-1) !== "COMPLETE")
      problems.push(`${label}: ${shown} does not end with COMPLETE`);
    else if (middle.some((s) => s !== "RUNNING"))
      problems.push(`${label}: ${shown} has more than RUNNING in between`);
    else if (withRecords.has(streamKey(stream)) && middle.length === 0) {
      problems.push(`${label}: ${shown} emitted records but never said RUNNING`);
    }
  }
  return problems;
}

/** Records and statuses of streams the catalog does not configure. */
export function unconfiguredStreams(output: ConnectorOutput, catalog: ConfiguredAirbyteCatalog): string[] {
  const configured = configuredKeys(catalog);
  const records = new Map<string, { label: string; count: number }>();
  for (const record of output.records) {
    const key = recordStreamKey(record);
    if (configured.has(key)) continue;
    const entry = records.get(key) ?? {
      label: streamLabel({ name: record.stream, namespace: record.namespace }),
      count: 0,
    };
    entry.count++;
    records.set(key, entry);
  }
  const problems = [...records.values()].map(
    ({ label, count }) => `${count} record(s) of stream "${label}", which is not in the configured catalog`,
  );
  const statuses = new Set(
    output.statuses
      .filter((s) => !configured.has(streamKey(s.stream_descriptor)))
      .map((s) => streamLabel(s.stream_descriptor)),
  );
  for (const label of statuses)
    problems.push(`stream statuses for "${label}", which is not in the configured catalog`);
  return problems;
}
