import { type ConnectorKind, type ReadBackSource, runAcceptanceTests } from "@weir/acceptance";
import type { Command } from "commander";
import { type CommandFailure, describeFailureCause } from "./command-failure.js";
import { paintFor } from "./summary-view.js";
import { resolveTestedConnector } from "./test-connector-handles.js";
import { loadTestConnectorInputs } from "./test-connector-inputs.js";
import { acceptanceReportJson, checkLine, summaryLine } from "./test-connector-view.js";

/** The options of `weir test-connector`, as commander parses them. */
export interface TestConnectorOptions {
  readonly command?: string | undefined;
  readonly image?: string | undefined;
  readonly kind?: string | undefined;
  readonly config: readonly string[];
  readonly invalidConfig: readonly string[];
  readonly catalog?: string | undefined;
  readonly expectedRecords?: string | undefined;
  readonly futureState?: string | undefined;
  readonly readBack?: string | undefined;
  readonly readBackCommand?: string | undefined;
  readonly readBackConfig?: string | undefined;
  readonly json: boolean;
}

const USAGE_EXIT_CODE = 2;
const CANCELLED_EXIT_CODE = 130;

const usageError = (message: string): number => {
  process.stderr.write(`weir test-connector: ${message}\n`);
  return USAGE_EXIT_CODE;
};

function usageProblem(connector: string | undefined, options: TestConnectorOptions): string | undefined {
  const named = [connector, options.command, options.image].filter((x) => x !== undefined).length;
  if (named !== 1)
    return 'name the connector once: a built-in name, --command "<program>" or --image <image>';
  if (options.config.length === 0) return "give at least one --config file";
  if (options.kind !== undefined && options.kind !== "source" && options.kind !== "destination") {
    return `--kind is source or destination, not ${JSON.stringify(options.kind)}`;
  }
  if (options.readBack !== undefined && options.readBackCommand !== undefined) {
    return "give --read-back or --read-back-command, not both";
  }
  const readBack = options.readBack !== undefined || options.readBackCommand !== undefined;
  if (readBack !== (options.readBackConfig !== undefined)) {
    return "--read-back (or --read-back-command) and --read-back-config go together";
  }
  return undefined;
}

function failWith(failure: CommandFailure, json: boolean): number {
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ status: "failed", failure: { type: failure.type, message: failure.message } })}\n`,
    );
  } else {
    process.stderr.write(`✗ ${describeFailureCause(failure)}: ${failure.message}\n`);
  }
  return 1;
}

/**
 * `weir test-connector`: Airbyte-style acceptance tests against a built-in, a local command or
 * an image; a line per check, a summary, exit 0 only when no check failed.
 * Example: `await runTestConnectorCommand("faker", { config: ["faker.json"], invalidConfig: [], json: false })`.
 */
export async function runTestConnectorCommand(
  connector: string | undefined,
  options: TestConnectorOptions,
): Promise<number> {
  const problem = usageProblem(connector, options);
  if (problem !== undefined) return usageError(problem);
  const kind = options.kind as ConnectorKind | undefined;
  const inputs = await loadTestConnectorInputs(options);
  if (!inputs.ok) return failWith(inputs.failure, options.json);
  const tested = resolveTestedConnector(
    { name: connector, command: options.command, image: options.image },
    kind,
    "",
  );
  if (!tested.ok) return failWith(tested.failure, options.json);
  let readBack: ReadBackSource | undefined;
  if (options.readBack !== undefined || options.readBackCommand !== undefined) {
    const source = resolveTestedConnector(
      { name: options.readBack, command: options.readBackCommand },
      "source",
      "read-back",
    );
    if (!source.ok) return failWith(source.failure, options.json);
    readBack = { handle: source.value.handle, config: inputs.value.readBackConfig };
  }

  const paint = paintFor(process.stdout);
  const out = (line: string) => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(CANCELLED_EXIT_CODE);
    process.stderr.write(
      `stopping (${signal}): the running command is stopped; press Ctrl-C again to quit at once\n`,
    );
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const side = kind ?? tested.value.kind;
    out(`Testing ${tested.value.handle.description}${side === undefined ? "" : ` (${side})`}`);
    const report = await runAcceptanceTests({
      handle: tested.value.handle,
      kind: side,
      configs: inputs.value.configs,
      invalidConfigs: inputs.value.invalidConfigs,
      catalog: inputs.value.catalog,
      expectedRecords: inputs.value.expectedRecords,
      futureState: inputs.value.futureState,
      readBack,
      signal: controller.signal,
      onResult: (result) => out(checkLine(result, paint)),
    });
    if (options.json) process.stdout.write(`${JSON.stringify(acceptanceReportJson(report))}\n`);
    else out(summaryLine(report, paint));
    if (report.status === "cancelled") return CANCELLED_EXIT_CODE;
    return report.status === "passed" ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * Adds `weir test-connector` to the CLI; `run` is how main.ts runs a command's work.
 * Example: `registerTestConnectorCommand(program, run)`.
 */
export function registerTestConnectorCommand(
  program: Command,
  run: (work: () => Promise<number> | number) => void,
): void {
  program
    .command("test-connector")
    .description("run acceptance tests (spec, check, discover, reads or writes) against a connector")
    .argument("[connector]", "a built-in connector name (see `weir connectors`)")
    .option("--command <program>", 'a local program that speaks the protocol, e.g. "python3 main.py"')
    .option("--image <image>", "a container image that speaks the protocol")
    .option("--kind <kind>", "source or destination (default: what the spec says)")
    .option(
      "--config <file>",
      "a working config (repeatable; the first drives the reads and writes)",
      collect,
      [],
    )
    .option(
      "--invalid-config <file>",
      "a config check must answer FAILED (repeatable; default: derived)",
      collect,
      [],
    )
    .option("--catalog <file>", "the configured catalog to read (default: every stream)")
    .option("--expected-records <file>", "JSON lines of {stream, data} the full refresh read must return")
    .option("--future-state <file>", "a state from the far future (default: derived from a read)")
    .option("--read-back <source>", "a built-in source that reads what the destination wrote")
    .option("--read-back-command <program>", "a local source program that reads what the destination wrote")
    .option("--read-back-config <file>", "the read-back source's config")
    .option("--json", "print one JSON object instead of lines", false)
    .action((connector: string | undefined, options: TestConnectorOptions) =>
      run(() => runTestConnectorCommand(connector, options)),
    );
}
