import {
  type AirbyteRecordMessage,
  type ConfiguredAirbyteCatalog,
  type ConfiguredAirbyteStream,
  streamKey,
} from "@weir/protocol";
import type { ExpectedRecord } from "./acceptance-types.js";
import { primaryKeyOf } from "./read-catalogs.js";
import {
  canonicalJson,
  countIdentities,
  describeRecord,
  recordIdentity,
  valueAtPath,
} from "./record-identity.js";
import { recordStreamKey, streamLabel } from "./stream-names.js";

/** The records of each stream, by stream key. */
export function recordsByStream(
  records: readonly AirbyteRecordMessage[],
): Map<string, AirbyteRecordMessage[]> {
  const out = new Map<string, AirbyteRecordMessage[]>();
  for (const record of records) {
    const key = recordStreamKey(record);
    const list = out.get(key);
    if (list === undefined) out.set(key, [record]);
    else list.push(record);
  }
  return out;
}

/** The first top-level field two records disagree on, for a message. */
function firstDifference(actual: Record<string, unknown>, expected: Record<string, unknown>): string {
  for (const field of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const [a, e] = [canonicalJson(actual[field]), canonicalJson(expected[field])];
    if (a !== e) return `${field} is ${a.slice(0, 80)}, expected ${e.slice(0, 80)}`;
  }
  return "the data differs";
}

/**
 * What an expected-records file finds missing or different in a read. With a primary key, each
 * expected key must be read with the same data; without one, each expected record must be read
 * as it is. Records read but not expected are fine (Airbyte's rule without exact_order).
 */
export function expectedRecordProblems(
  expected: readonly ExpectedRecord[],
  records: readonly AirbyteRecordMessage[],
  catalog: ConfiguredAirbyteCatalog,
): string[] {
  const configured = new Map(catalog.streams.map((c) => [streamKey(c.stream), c]));
  const actual = recordsByStream(records);
  const problems: string[] = [];
  const grouped = new Map<string, ExpectedRecord[]>();
  for (const record of expected) {
    const key = streamKey({ name: record.stream, namespace: record.namespace });
    grouped.set(key, [...(grouped.get(key) ?? []), record]);
  }
  for (const [key, list] of grouped) {
    const stream = configured.get(key);
    const label = streamLabel({ name: list[0]?.stream ?? "", namespace: list[0]?.namespace });
    if (stream === undefined) {
      problems.push(`${label}: ${list.length} expected record(s) of a stream that is not read`);
      continue;
    }
    const pk = primaryKeyOf(stream);
    const read = new Map((actual.get(key) ?? []).map((r) => [recordIdentity(r.data, pk), r.data]));
    for (const record of list) {
      const found = read.get(recordIdentity(record.data, pk));
      const name = describeRecord(record.data, pk);
      if (found === undefined) problems.push(`${label}: expected record ${name} was not read`);
      else if (pk !== undefined && canonicalJson(found) !== canonicalJson(record.data)) {
        problems.push(`${label}: record ${name}: ${firstDifference(found, record.data)}`);
      }
    }
  }
  return problems;
}

/** Records of one stream in one read and not the other (as many times as they differ), by data. */
export function sameRecordProblems(
  first: readonly AirbyteRecordMessage[],
  second: readonly AirbyteRecordMessage[],
  catalog: ConfiguredAirbyteCatalog,
): string[] {
  const [a, b] = [recordsByStream(first), recordsByStream(second)];
  const problems: string[] = [];
  for (const configured of catalog.streams) {
    const key = streamKey(configured.stream);
    const pk = primaryKeyOf(configured);
    const [x, y] = [a.get(key) ?? [], b.get(key) ?? []];
    const dataOf = new Map([...x, ...y].map((r) => [canonicalJson(r.data), r.data]));
    const [countX, countY] = [
      countIdentities(x.map((r) => canonicalJson(r.data))),
      countIdentities(y.map((r) => canonicalJson(r.data))),
    ];
    const onlyIn = (mine: Map<string, number>, theirs: Map<string, number>) => {
      const extra: string[] = [];
      for (const [identity, n] of mine) {
        for (let i = theirs.get(identity) ?? 0; i < n; i++) extra.push(identity);
      }
      return extra;
    };
    const [inFirst, inSecond] = [onlyIn(countX, countY), onlyIn(countY, countX)];
    if (inFirst.length === 0 && inSecond.length === 0) continue;
    const example = (list: string[]) =>
      list[0] === undefined ? "" : ` (e.g. ${describeRecord(dataOf.get(list[0]), pk)})`;
    problems.push(
      `${streamLabel(configured.stream)}: ${inFirst.length} record(s) only in the first read${example(inFirst)}, ${inSecond.length} only in the second${example(inSecond)}`,
    );
  }
  return problems;
}

/** Primary-key values that cannot identify a record: objects, arrays, or all parts null. */
export function primaryKeyValueProblems(
  records: readonly AirbyteRecordMessage[],
  streams: readonly ConfiguredAirbyteStream[],
): string[] {
  const byKey = new Map(streams.map((c) => [streamKey(c.stream), c]));
  const problems: string[] = [];
  for (const record of records) {
    const configured = byKey.get(recordStreamKey(record));
    const pk = configured === undefined ? undefined : primaryKeyOf(configured);
    if (configured === undefined || pk === undefined) continue;
    const label = streamLabel(configured.stream);
    const values = pk.map((path) => valueAtPath(record.data, path));
    for (const [i, value] of values.entries()) {
      if (typeof value === "object" && value !== null) {
        problems.push(
          `${label}: primary key ${pk[i]?.join(".")} holds an ${Array.isArray(value) ? "array" : "object"}`,
        );
      }
    }
    if (values.every((v) => v === null || v === undefined))
      problems.push(`${label}: a record whose primary key is null`);
  }
  return problems;
}
