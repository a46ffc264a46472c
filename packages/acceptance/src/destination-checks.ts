import { randomBytes } from "node:crypto";
import {
  type AirbyteMessage,
  type AirbyteStateMessage,
  type ConnectorSpecification,
  streamDescriptor,
} from "@weir/protocol";
import type { AcceptanceRun } from "./acceptance-run.js";
import { type CheckName, failed, passed, skipped, type Verdict } from "./check-recorder.js";
import { runFailure } from "./connector-output.js";
import {
  TESTED_MODES,
  type TestedMode,
  type TestRow,
  testCatalog,
  testInput,
  WRITE_PLANS,
} from "./destination-test-data.js";
import { type ReadBack, readBackStreams } from "./read-back.js";
import { canonicalJson, countIdentities } from "./record-identity.js";
import { listSome } from "./text-clip.js";

// Reading back: Airbyte's destination tests read the written data through a dumper per
// destination. Weir cannot know how to read an arbitrary destination, so the caller names a
// source that reads what the destination wrote (source-jsonl for destination-jsonl, any
// program for the rest); without one, the writes are checked by their echoes and exit alone,
// and the data checks are skipped with that reason.

const DATA_TITLES: Readonly<Record<TestedMode, string>> = {
  append: "append: the destination holds the records of both writes",
  overwrite: "overwrite: the destination holds exactly the second write's records",
  append_dedup: "append_dedup: one row per key, the latest version",
};

/** What identifies a state when it comes back: the destination may add fields (stats, counts). */
function stateIdentity(state: AirbyteStateMessage): string {
  const descriptor = state.stream?.stream_descriptor;
  return canonicalJson({
    type: state.type ?? null,
    stream:
      state.stream == null
        ? null
        : {
            descriptor: descriptor == null ? null : streamDescriptor(descriptor),
            state: state.stream.stream_state ?? null,
          },
    global: state.global ?? null,
    data: state.data ?? null,
  });
}

/**
 * What is wrong with the STATE messages a destination echoed: one it was never sent, one out
 * of order or twice, a wrong `destinationStats.recordCount`, or the last one missing (then
 * nothing after the previous echo counts as committed).
 */
export function echoProblems(
  sent: readonly AirbyteStateMessage[],
  recordsBefore: readonly number[],
  echoed: readonly AirbyteStateMessage[],
): string[] {
  const sentIds = sent.map(stateIdentity);
  const problems: string[] = [];
  let last = -1;
  for (const echo of echoed) {
    const id = stateIdentity(echo);
    const at = sentIds.findIndex((s, i) => i > last && s === id);
    if (at === -1) {
      problems.push(
        sentIds.includes(id) ? "a STATE echoed out of order or twice" : "a STATE echoed that was never sent",
      );
      continue;
    }
    const count = echo.destinationStats?.recordCount;
    const expected = recordsBefore.slice(last + 1, at + 1).reduce((a, b) => a + b, 0);
    if (count != null && count !== expected) {
      problems.push(
        `STATE ${at + 1} came back with destinationStats.recordCount ${count}, ${expected} records were sent for it`,
      );
    }
    last = at;
  }
  if (last !== sent.length - 1) {
    problems.push(
      `the last STATE (${sent.length} sent) was not echoed${last === -1 ? ": none was" : `, only up to STATE ${last + 1}`}`,
    );
  }
  return problems;
}

/** What the read-back rows get wrong against the expected rows (by id, then name). */
export function writtenDataProblems(
  rows: readonly Record<string, unknown>[],
  expected: readonly TestRow[],
): string[] {
  const ids = rows.map((r) => Number(r.id));
  const problems: string[] = [];
  if (ids.some((id) => !Number.isInteger(id))) problems.push("rows without an integer id");
  const counts = countIdentities(ids.filter(Number.isInteger).map(String));
  const wanted = new Set(expected.map((r) => String(r.id)));
  const missing = [...wanted].filter((id) => !counts.has(id));
  const extra = [...counts.keys()].filter((id) => !wanted.has(id));
  const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  if (missing.length > 0) problems.push(`ids ${listSome(missing, 8)} are missing`);
  if (extra.length > 0) problems.push(`ids ${listSome(extra, 8)} should not be there`);
  if (twice.length > 0) problems.push(`ids ${listSome(twice, 8)} appear more than once`);
  for (const row of expected) {
    const found = rows.find((r) => Number(r.id) === row.id);
    if (found !== undefined && found.name !== row.name) {
      problems.push(
        `id ${row.id}: name is ${JSON.stringify(found.name)}, expected ${JSON.stringify(row.name)}`,
      );
    }
  }
  return problems;
}

async function* asBatches(messages: readonly AirbyteMessage[]): AsyncGenerator<readonly AirbyteMessage[]> {
  yield messages;
}

async function writesVerdict(run: AcceptanceRun, stream: string, mode: TestedMode): Promise<Verdict> {
  const plan = WRITE_PLANS[mode];
  for (const [i, rows] of [plan.first, plan.second].entries()) {
    const input = testInput(stream, rows);
    const output = await run.execute({
      command: "write",
      config: run.mainConfig.config,
      catalog: testCatalog(stream, mode, i + 1),
      input: asBatches(input.messages),
    });
    const failure = runFailure(output, run.description);
    if (failure !== undefined) return failed(`write ${i + 1}: ${failure.reason}`, failure.failureType);
    const problems = echoProblems(input.states, input.recordsBefore, output.states);
    if (problems.length > 0) return failed(`write ${i + 1}: ${listSome(problems)}`);
  }
  return passed(`${plan.first.length} then ${plan.second.length} records to stream ${stream}`);
}

/**
 * The write phase (destination): for each of append, overwrite and append_dedup it supports,
 * two writes of known records to a fresh stream (`weir_acceptance_<run>_<mode>`) must end
 * cleanly and echo every STATE in order; then, with a read-back source, each stream must hold
 * exactly the expected rows (one discover and one read for all of them: sources can be slow to
 * start). Example: `await runDestinationChecks(run, spec)`.
 */
export async function runDestinationChecks(
  run: AcceptanceRun,
  spec: ConnectorSpecification | undefined,
): Promise<void> {
  const { recorder, options } = run;
  const supported = spec?.supported_destination_sync_modes ?? [];
  // A fresh name per run: old data of an earlier run never makes an append look wrong.
  const runId = randomBytes(3).toString("hex");
  const written: { mode: TestedMode; stream: string; data: CheckName }[] = [];
  const blocked: { data: CheckName; reason: string }[] = [];
  for (const mode of TESTED_MODES) {
    const writes: CheckName = {
      id: `write.${mode}.states`,
      title: `${mode}: two writes end cleanly and echo every STATE, in order`,
    };
    const data: CheckName = { id: `write.${mode}.data`, title: DATA_TITLES[mode] };
    const unsupported =
      spec === undefined
        ? "no SPEC"
        : supported.includes(mode)
          ? undefined
          : `${mode} is not in supported_destination_sync_modes`;
    if (unsupported !== undefined) {
      recorder.skip(writes, unsupported);
      blocked.push({ data, reason: unsupported });
      continue;
    }
    const stream = `weir_acceptance_${runId}_${mode}`;
    const verdict = await recorder.run(writes, () => writesVerdict(run, stream, mode));
    if (verdict.status === "passed") written.push({ mode, stream, data });
    else blocked.push({ data, reason: `the writes did not pass (${writes.id})` });
  }
  const readBack = options.readBack;
  let rows: Map<string, ReadBack> | undefined;
  for (const mode of TESTED_MODES) {
    const entry = written.find((w) => w.mode === mode);
    if (entry === undefined) {
      const skip = blocked.find((b) => b.data.id === `write.${mode}.data`);
      if (skip !== undefined) recorder.skip(skip.data, skip.reason);
      continue;
    }
    await recorder.run(entry.data, async () => {
      if (readBack === undefined) {
        return skipped("no read-back source given: what the destination wrote was not read back");
      }
      rows ??= await readBackStreams(
        run,
        readBack,
        written.map((w) => w.stream),
      );
      const found = rows.get(entry.stream);
      if (found === undefined || !found.ok) {
        return found === undefined ? failed("not read back") : failed(found.reason, found.failureType);
      }
      const problems = writtenDataProblems(found.rows, WRITE_PLANS[mode].expected);
      return problems.length === 0
        ? passed(`${found.rows.length} rows read back`)
        : failed(listSome(problems));
    });
  }
}
