import {
  type AirbyteCatalog,
  type ConfiguredAirbyteCatalog,
  type StateInput,
  streamKey,
} from "@weir/protocol";
import type { AcceptanceRun } from "./acceptance-run.js";
import { type CheckName, failed, passed, skipped, type Verdict } from "./check-recorder.js";
import { checkpointsOf, resumeProblems, sampleCheckpoints } from "./checkpoint-resume.js";
import { type ConnectorOutput, runFailure } from "./connector-output.js";
import { deriveFutureState, latestStates, streamsOfState } from "./future-state.js";
import { cursorOf, onlyStream, primaryKeyOf, readCatalog } from "./read-catalogs.js";
import { stateProblems } from "./read-message-rules.js";
import { recordsByStream } from "./record-comparisons.js";
import { compareCursors, describeRecord, recordIdentity, valueAtPath } from "./record-identity.js";
import { streamLabel } from "./stream-names.js";
import { listSome, tally } from "./text-clip.js";

const CHECKS = {
  cursors: { id: "incremental.cursors", title: "every incremental stream has a cursor" },
  state: {
    id: "incremental.state_emitted",
    title: "an incremental read emits records and a STATE per stream",
  },
  second: {
    id: "incremental.second_read",
    title: "a read from the first read's state returns no record older than its cursor",
  },
  future: { id: "incremental.future_state", title: "a read from a state in the future returns nothing" },
  resume: {
    id: "incremental.resume_from_checkpoints",
    title: "resuming from each checkpoint loses and repeats nothing",
  },
} satisfies Record<string, CheckName>;

/** Resumes per stream at most this many times: enough to catch an off-by-one, bounded in time. */
const MAX_CHECKPOINTS_PER_STREAM = 10;

const fromProblems = (problems: readonly string[], passReason?: string): Verdict =>
  problems.length === 0 ? passed(passReason) : failed(listSome(tally(problems)));

function cursorsVerdict(catalog: ConfiguredAirbyteCatalog): {
  verdict: Verdict;
  usable: ConfiguredAirbyteCatalog;
} {
  const problems: string[] = [];
  const described: string[] = [];
  const usable = catalog.streams.filter((configured) => {
    const { path, sourceDefined } = cursorOf(configured);
    const label = streamLabel(configured.stream);
    if (path !== undefined) described.push(`${label}: ${path.join(".")}`);
    else if (sourceDefined) described.push(`${label}: source-defined`);
    else problems.push(`${label}: no cursor (no cursor_field, no default_cursor_field, not source-defined)`);
    return path !== undefined || sourceDefined;
  });
  return { verdict: fromProblems(problems, listSome(described, 6)), usable: { streams: usable } };
}

function stateVerdict(
  run: AcceptanceRun,
  first: ConnectorOutput,
  catalog: ConfiguredAirbyteCatalog,
): Verdict {
  const failure = runFailure(first, run.description);
  if (failure !== undefined) return failed(failure.reason, failure.failureType);
  if (first.records.length === 0) {
    return failed("no records: test with a config that reads some data", "config_error");
  }
  const stated = new Set(
    first.states.map((s) => (s.stream == null ? "" : streamKey(s.stream.stream_descriptor))),
  );
  const global = first.states.some((s) => s.type === "GLOBAL");
  const problems = global
    ? []
    : catalog.streams
        .filter((c) => !stated.has(streamKey(c.stream)))
        .map((c) => `${streamLabel(c.stream)}: no STATE`);
  problems.push(...stateProblems(first, catalog));
  return fromProblems(problems, `${first.records.length} record(s), ${first.states.length} STATE message(s)`);
}

async function secondReadVerdict(
  run: AcceptanceRun,
  first: ConnectorOutput,
  catalog: ConfiguredAirbyteCatalog,
): Promise<Verdict> {
  const state = latestStates(first.states);
  const second = await run.execute({ command: "read", config: run.mainConfig.config, catalog, state });
  const failure = runFailure(second, run.description);
  if (failure !== undefined) return failed(failure.reason, failure.failureType);
  const [before, after] = [recordsByStream(first.records), recordsByStream(second.records)];
  const problems: string[] = [];
  for (const configured of catalog.streams) {
    const key = streamKey(configured.stream);
    const label = streamLabel(configured.stream);
    const [old, fresh] = [before.get(key) ?? [], after.get(key) ?? []];
    const pk = primaryKeyOf(configured);
    const cursor = cursorOf(configured).path;
    const values =
      cursor === undefined ? [] : old.map((r) => valueAtPath(r.data, cursor)).filter((v) => v != null);
    if (cursor !== undefined && values.length > 0) {
      const max = values.reduce((a, b) => ((compareCursors(b, a) ?? 0) > 0 ? b : a));
      for (const record of fresh) {
        const value = valueAtPath(record.data, cursor);
        if (value != null && (compareCursors(value, max) ?? 0) < 0) {
          problems.push(
            `${label}: ${describeRecord(record.data, pk)} has ${cursor.join(".")} ${JSON.stringify(value)}, older than the state's ${JSON.stringify(max)}`,
          );
        }
      }
    } else {
      // No cursor value to compare (source-defined, not a record field): nothing already read may come again.
      const seen = new Set(old.map((r) => recordIdentity(r.data, pk)));
      const again = fresh.filter((r) => seen.has(recordIdentity(r.data, pk)));
      if (again.length > 0) {
        problems.push(
          `${label}: ${again.length} record(s) of the first read came again, e.g. ${describeRecord(again[0]?.data, pk)}`,
        );
      }
    }
  }
  const what = second.records.length === 0 ? "no records" : `${second.records.length} record(s), none older`;
  return fromProblems(problems, `the second read: ${what}`);
}

async function futureVerdict(
  run: AcceptanceRun,
  first: ConnectorOutput,
  catalog: ConfiguredAirbyteCatalog,
): Promise<Verdict> {
  let state: StateInput;
  let covered: ReadonlySet<string> | undefined;
  let how: string;
  const given = run.options.futureState;
  if (given !== undefined) {
    state = given;
    covered = streamsOfState(given);
    how = "the given future state";
  } else {
    const derived = deriveFutureState(latestStates(first.states), catalog);
    if (derived === undefined) {
      return skipped(
        "no future state given, and none can be derived: no stream's state holds its cursor field",
      );
    }
    state = derived.state;
    covered = derived.streams;
    how = `derived: ${listSome([...derived.pushed], 4)} moved to the year 2999`;
  }
  const streams = catalog.streams.filter((c) => covered === undefined || covered.has(streamKey(c.stream)));
  if (streams.length === 0)
    return failed("the future state names none of the incremental streams", "config_error");
  const output = await run.execute({
    command: "read",
    config: run.mainConfig.config,
    catalog: { streams },
    state,
  });
  const failure = runFailure(output, run.description);
  if (failure !== undefined) return failed(failure.reason, failure.failureType);
  // Records of streams not asked for are read.configured_streams_only's business.
  const byStream = recordsByStream(output.records);
  const found = streams.flatMap((c) => (byStream.get(streamKey(c.stream)) ?? []).map((r) => ({ c, r })));
  const one = found[0];
  if (one !== undefined) {
    const example = `${streamLabel(one.c.stream)}: ${describeRecord(one.r.data, primaryKeyOf(one.c))}`;
    return failed(`${found.length} record(s) from a state in the future, e.g. ${example} (${how})`);
  }
  if (output.states.length === 0)
    return failed(`no STATE: a read hands its state back even with nothing new (${how})`);
  return passed(how);
}

async function resumeVerdict(
  run: AcceptanceRun,
  first: ConnectorOutput,
  catalog: ConfiguredAirbyteCatalog,
): Promise<Verdict> {
  const problems: string[] = [];
  const summary: string[] = [];
  for (const configured of catalog.streams) {
    const label = streamLabel(configured.stream);
    const { records, checkpoints } = checkpointsOf(first, streamKey(configured.stream));
    if (records.length === 0) {
      summary.push(`${label}: no records`);
      continue;
    }
    if (checkpoints.length === 0) {
      problems.push(`${label}: no STATE to resume from`);
      continue;
    }
    const chosen = sampleCheckpoints(checkpoints, MAX_CHECKPOINTS_PER_STREAM);
    for (const checkpoint of chosen) {
      const where = `${label}, from checkpoint ${checkpoint.position + 1} of ${checkpoints.length}`;
      const output = await run.execute({
        command: "read",
        config: run.mainConfig.config,
        catalog: onlyStream(configured),
        state: [checkpoint.state],
      });
      const failure = runFailure(output, run.description);
      if (failure !== undefined) {
        problems.push(`${where}: ${failure.reason}`);
        continue;
      }
      const resumed = recordsByStream(output.records).get(streamKey(configured.stream)) ?? [];
      const cursor = cursorOf(configured).path;
      for (const problem of resumeProblems({
        full: records,
        checkpoint,
        resumed,
        primaryKey: primaryKeyOf(configured),
        cursor,
      })) {
        problems.push(`${where}: ${problem}`);
      }
    }
    const of = chosen.length === checkpoints.length ? "" : ` of ${checkpoints.length}`;
    summary.push(`${label}: ${chosen.length}${of} checkpoint(s)`);
  }
  return fromProblems(problems, listSome(summary, 6));
}

/**
 * The incremental phase (source): streams that support incremental, each with a cursor; a first
 * read emits records and a STATE per stream; a read from its last states returns nothing older
 * than the cursor; a read from a future state returns nothing; resuming from each checkpoint of
 * the first read gives back exactly the rest. Example: `await runIncrementalChecks(run, catalog)`.
 */
export async function runIncrementalChecks(
  run: AcceptanceRun,
  discovered: AirbyteCatalog | undefined,
  missing: string,
): Promise<void> {
  const { recorder } = run;
  const names = Object.values(CHECKS);
  if (discovered === undefined) {
    for (const name of names) recorder.skip(name, missing);
    return;
  }
  const all = readCatalog(discovered, "incremental", run.options.catalog).catalog;
  if (all.streams.length === 0) {
    for (const name of names) recorder.skip(name, "no stream to read supports incremental");
    return;
  }
  const cursors = cursorsVerdict(all);
  await recorder.run(CHECKS.cursors, () => cursors.verdict);
  const catalog = cursors.usable;
  const rest = names.slice(1);
  if (catalog.streams.length === 0) {
    for (const name of rest) recorder.skip(name, "no incremental stream has a cursor");
    return;
  }
  let first: ConnectorOutput | undefined;
  const verdict = await recorder.run(CHECKS.state, async () => {
    first = await run.execute({ command: "read", config: run.mainConfig.config, catalog });
    return stateVerdict(run, first, catalog);
  });
  const output = first;
  if (
    output === undefined ||
    runFailure(output, run.description) !== undefined ||
    output.records.length === 0
  ) {
    const why = verdict.status === "skipped" ? verdict.reason : "the first incremental read failed";
    for (const name of rest.slice(1)) recorder.skip(name, why);
    return;
  }
  await recorder.run(CHECKS.second, () => secondReadVerdict(run, output, catalog));
  await recorder.run(CHECKS.future, () => futureVerdict(run, output, catalog));
  await recorder.run(CHECKS.resume, () => resumeVerdict(run, output, catalog));
}
