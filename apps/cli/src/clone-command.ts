import { type CloneOutcome, runClone } from "@weir/clone";
import type { Command } from "commander";
import { loadCloneFile } from "./clone-file.js";
import {
  cloneReportJson,
  createCloneProgressView,
  renderClonePlan,
  renderCloneReport,
} from "./clone-view.js";
import { paintFor } from "./summary-view.js";

/** The options of `weir clone`. */
export interface CloneCommandOptions {
  readonly dryRun: boolean;
  readonly json: boolean;
}

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * `weir clone CLONE.yaml`: copies a database as the file says; resolves to the exit code
 * (0 only on success). Example: `process.exitCode = await runCloneCommand("clone.yaml", { dryRun: true, json: false })`.
 */
export async function runCloneCommand(file: string, options: CloneCommandOptions): Promise<number> {
  const loaded = await loadCloneFile(file);
  if (!loaded.ok) {
    const failure = { type: loaded.failure.type, origin: "config" as const, message: loaded.failure.message };
    const report = { dryRun: options.dryRun, plan: undefined, tables: [], durationMs: 0, phaseMs: {} };
    return finish({ ok: false, failure, report }, options, undefined);
  }
  const { config, secrets, dir } = loaded.value;
  const hide = (text: string) => secrets.reduce((t, secret) => t.split(secret).join("**********"), text);
  const view = createCloneProgressView(
    process.stderr,
    process.stderr.isTTY && !options.json ? "live" : "quiet",
  );
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy !== undefined) process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
    stoppedBy = signal;
    view.line(`stopping (${signal}): closing every session; press Ctrl-C again to quit at once`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const outcome = await runClone(config, {
      dryRun: options.dryRun,
      signal: controller.signal,
      baseDirectory: dir,
      onProgress: (progress) => view.update(progress),
      onLog: (message) => {
        if (!options.json) view.line(hide(message));
      },
    });
    view.finish();
    const shown: CloneOutcome = outcome.ok
      ? outcome
      : { ...outcome, failure: { ...outcome.failure, message: hide(outcome.failure.message) } };
    const code = finish(shown, options, stoppedBy);
    return code;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function finish(
  outcome: CloneOutcome,
  options: CloneCommandOptions,
  stoppedBy: NodeJS.Signals | undefined,
): number {
  if (options.json) {
    if (!outcome.ok)
      process.stderr.write(
        renderCloneReport(
          { ...outcome, report: { ...outcome.report, tables: [] } },
          paintFor(process.stderr),
        ),
      );
    process.stdout.write(`${JSON.stringify(cloneReportJson(outcome))}\n`);
  } else if (outcome.ok && outcome.report.dryRun && outcome.report.plan !== undefined) {
    process.stdout.write(renderClonePlan(outcome.report.plan));
  } else {
    process.stdout.write(renderCloneReport(outcome, paintFor(process.stdout)));
  }
  if (outcome.ok) return 0;
  return stoppedBy === undefined ? 1 : (SIGNAL_EXIT_CODES[stoppedBy] ?? 1);
}

/** Adds `weir clone` to the program. Example: `registerCloneCommand(program, run)`. */
export function registerCloneCommand(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("clone")
    .description("copy a Postgres database into another: schema, data (masked, subset) and indexes")
    .argument("<file>", "the clone file (YAML)")
    .option("--dry-run", "print the plan (tables, rows, masked columns) and copy nothing")
    .option("--json", "print only one JSON object on stdout when done")
    .action((file: string, opts: { dryRun?: boolean; json?: boolean }) =>
      run(() => runCloneCommand(file, { dryRun: opts.dryRun === true, json: opts.json === true })),
    );
}
