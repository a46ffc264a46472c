import {
  type AirbyteCatalog,
  type ConfiguredAirbyteCatalog,
  createRecordSchemaChecker,
  streamKey,
} from "@weir/protocol";
import type { AcceptanceRun } from "./acceptance-run.js";
import { type CheckName, failed, passed, skipped, type Verdict } from "./check-recorder.js";
import { type ConnectorOutput, failedRun, runFailure } from "./connector-output.js";
import { onlyStream, readCatalog } from "./read-catalogs.js";
import { stateProblems, streamStatusProblems, unconfiguredStreams } from "./read-message-rules.js";
import {
  expectedRecordProblems,
  primaryKeyValueProblems,
  recordsByStream,
  sameRecordProblems,
} from "./record-comparisons.js";
import { streamLabel } from "./stream-names.js";
import { listSome, tally } from "./text-clip.js";

const CHECKS = {
  catalog: { id: "read.configured_catalog", title: "every stream of the given catalog is discovered" },
  records: { id: "read.records", title: "a full refresh read emits records" },
  schema: { id: "read.schema", title: "records conform to their stream's schema" },
  onlyConfigured: { id: "read.configured_streams_only", title: "only configured streams are emitted" },
  pkValues: { id: "read.pk_values", title: "primary-key values are scalars, never all null" },
  state: { id: "read.state", title: "STATE messages name configured streams and count their records" },
  status: { id: "read.stream_status", title: "stream statuses run STARTED → RUNNING → COMPLETE" },
  expected: { id: "read.expected_records", title: "the expected records are read" },
  same: { id: "full_refresh.same_records", title: "two consecutive reads return the same records" },
} satisfies Record<string, CheckName>;

const fromProblems = (problems: readonly string[], passReason?: string): Verdict =>
  problems.length === 0 ? passed(passReason) : failed(listSome(tally(problems)));

function recordsVerdict(
  run: AcceptanceRun,
  output: ConnectorOutput,
  catalog: ConfiguredAirbyteCatalog,
): Verdict {
  const failure = failedRun(output, run.description);
  if (failure !== undefined) return failure;
  if (output.records.length === 0) {
    return failed("no records: test with a config that reads some data", "config_error");
  }
  const byStream = recordsByStream(output.records);
  const empty = catalog.streams
    .filter((c) => !byStream.has(streamKey(c.stream)))
    .map((c) => streamLabel(c.stream));
  const count = `${output.records.length} record(s)`;
  return passed(empty.length === 0 ? count : `${count}; none for ${listSome(empty, 5)}`);
}

async function onlyConfiguredVerdict(
  run: AcceptanceRun,
  first: ConnectorOutput,
  catalog: ConfiguredAirbyteCatalog,
): Promise<Verdict> {
  const problems = unconfiguredStreams(first, catalog);
  const one = catalog.streams[0];
  // With one stream of several selected, a source that reads everything shows it.
  if (problems.length === 0 && one !== undefined && catalog.streams.length > 1) {
    const subset = onlyStream(one);
    const output = await run.execute({ command: "read", config: run.mainConfig.config, catalog: subset });
    const failure = failedRun(output, run.description);
    if (failure !== undefined) return failure;
    problems.push(
      ...unconfiguredStreams(output, subset).map((p) => `with only ${streamLabel(one.stream)}: ${p}`),
    );
  }
  return fromProblems(problems);
}

/**
 * The full refresh phase (source): one read of the streams that support full_refresh, checked
 * for records, schemas, keys, states, statuses and expected records; a read of one stream
 * emits no other; a second read gives the same records. Example: `await runReadChecks(run, catalog)`.
 */
export async function runReadChecks(
  run: AcceptanceRun,
  discovered: AirbyteCatalog | undefined,
  missing: string,
): Promise<void> {
  const { recorder, options } = run;
  const names = Object.values(CHECKS).filter((c) => c !== CHECKS.catalog || options.catalog !== undefined);
  if (discovered === undefined) {
    for (const name of names) recorder.skip(name, missing);
    return;
  }
  const { catalog, notDiscovered } = readCatalog(discovered, "full_refresh", options.catalog);
  if (options.catalog !== undefined) {
    await recorder.run(CHECKS.catalog, () =>
      notDiscovered.length === 0
        ? passed()
        : failed(`not discovered: ${listSome(notDiscovered)}`, "config_error"),
    );
  }
  const rest = names.filter((c) => c !== CHECKS.catalog);
  if (catalog.streams.length === 0) {
    for (const name of rest) recorder.skip(name, "no stream to read supports full_refresh");
    return;
  }
  const config = run.mainConfig.config;
  let first: ConnectorOutput | undefined;
  await recorder.run(CHECKS.records, async () => {
    first = await run.execute({ command: "read", config, catalog });
    return recordsVerdict(run, first, catalog);
  });
  if (first === undefined) {
    for (const name of rest.slice(1)) recorder.skip(name, "cancelled");
    return;
  }
  const output: ConnectorOutput = first;
  const readFailed = failedRun(output, run.description) !== undefined;
  const ifRead = (check: () => Verdict | Promise<Verdict>) => () =>
    readFailed ? skipped("the read failed (read.records)") : check();

  await recorder.run(
    CHECKS.schema,
    ifRead(() => {
      const check = createRecordSchemaChecker(catalog);
      const problems = output.records.flatMap((r) => check(r) ?? []);
      return problems.length === 0
        ? passed(`${output.records.length} record(s) checked`)
        : failed(listSome(tally(problems, "records")));
    }),
  );
  await recorder.run(CHECKS.onlyConfigured, () => onlyConfiguredVerdict(run, output, catalog));
  await recorder.run(
    CHECKS.pkValues,
    ifRead(() => fromProblems(primaryKeyValueProblems(output.records, catalog.streams))),
  );
  await recorder.run(
    CHECKS.state,
    ifRead(() => {
      const problems = stateProblems(output, catalog);
      // The protocol asks for a state even in full refresh; Airbyte's CDKs send a sentinel.
      const note =
        output.states.length === 0 ? "no STATE in full refresh (the protocol asks for one)" : undefined;
      return fromProblems(problems, note ?? `${output.states.length} STATE message(s)`);
    }),
  );
  await recorder.run(
    CHECKS.status,
    ifRead(() => {
      const problems = streamStatusProblems(output, catalog);
      return problems === undefined ? skipped("the source emits no stream statuses") : fromProblems(problems);
    }),
  );
  const expected = options.expectedRecords;
  await recorder.run(
    CHECKS.expected,
    ifRead(() =>
      expected === undefined
        ? skipped("no expected records given")
        : fromProblems(
            expectedRecordProblems(expected, output.records, catalog),
            `${expected.length} expected record(s) found`,
          ),
    ),
  );
  await recorder.run(
    CHECKS.same,
    ifRead(async () => {
      const second = await run.execute({ command: "read", config, catalog });
      const failure = runFailure(second, run.description);
      if (failure !== undefined)
        return failed(`the second read failed: ${failure.reason}`, failure.failureType);
      return fromProblems(sameRecordProblems(output.records, second.records, catalog));
    }),
  );
}
