import type { AirbyteConnectionStatus } from "@weir/protocol";
import type { AcceptanceRun } from "./acceptance-run.js";
import type { LabelledConfig } from "./acceptance-types.js";
import { failed, passed, type Verdict } from "./check-recorder.js";
import { type ConnectorOutput, failedRun, missingAnswer } from "./connector-output.js";
import { deriveInvalidConfig } from "./invalid-config.js";
import type { SpecFindings } from "./spec-checks.js";
import { clip } from "./text-clip.js";

const statusesOf = (output: ConnectorOutput): AirbyteConnectionStatus[] =>
  output.messages.flatMap((m) => (m.type === "CONNECTION_STATUS" ? [m.connectionStatus] : []));

async function succeeds(run: AcceptanceRun, config: unknown): Promise<Verdict> {
  const output = await run.execute({ command: "check", config });
  const statuses = statusesOf(output);
  const status = statuses[0];
  if (status === undefined) return missingAnswer(output, "CONNECTION_STATUS", run.description);
  if (statuses.length > 1) {
    return failed(`printed ${statuses.length} CONNECTION_STATUS messages; the protocol wants one`);
  }
  if (status.status === "FAILED") {
    return failed(`check answered FAILED: ${clip(status.message ?? "(no message)")}`, "config_error");
  }
  return failedRun(output, run.description) ?? passed();
}

async function failsCleanly(
  run: AcceptanceRun,
  config: unknown,
  derived: string | undefined,
): Promise<Verdict> {
  const output = await run.execute({ command: "check", config });
  const statuses = statusesOf(output);
  const status = statuses[0];
  const which = derived === undefined ? "an invalid config" : `an invalid config (${derived})`;
  if (status === undefined) {
    const missing = missingAnswer(output, "CONNECTION_STATUS", run.description);
    const why = missing.status === "failed" ? missing.reason : "no CONNECTION_STATUS";
    return failed(`a crash, not CONNECTION_STATUS FAILED, for ${which}: ${why}`);
  }
  if (statuses.length > 1) {
    return failed(`printed ${statuses.length} CONNECTION_STATUS messages; the protocol wants one`);
  }
  if (status.status === "SUCCEEDED") return failed(`check SUCCEEDED with ${which}`);
  if (output.exit.signal !== null || output.timedOut) {
    return failedRun(output, run.description) ?? failed("the run did not end by itself");
  }
  if (typeof status.message !== "string" || status.message.trim() === "") {
    return failed("FAILED without a message: the user is not told what is wrong");
  }
  const answer = `answered "${clip(status.message, 200)}"`;
  return passed(derived === undefined ? answer : `derived config ${derived}; ${answer}`);
}

/**
 * The check phase: each working config gets exactly one CONNECTION_STATUS SUCCEEDED; each
 * invalid one (given, or derived from the spec when none is) gets FAILED with a message, and
 * no crash. Example: `await runCheckChecks(run, spec)`.
 */
export async function runCheckChecks(
  run: AcceptanceRun,
  findings: SpecFindings,
  blocked?: string,
): Promise<void> {
  const { recorder, options } = run;
  for (const entry of options.configs) {
    const name = {
      id: "check.succeeds",
      title: "succeeds with a valid config",
      config: run.configLabel(entry, options.configs),
    };
    if (blocked !== undefined) recorder.skip(name, blocked);
    else await recorder.run(name, () => succeeds(run, entry.config));
  }
  const given: readonly LabelledConfig[] = options.invalidConfigs ?? [];
  const title = "fails cleanly (CONNECTION_STATUS FAILED) with an invalid config";
  if (given.length > 0) {
    for (const entry of given) {
      const name = { id: "check.fails", title, config: run.configLabel(entry, given) };
      if (blocked !== undefined) recorder.skip(name, blocked);
      else await recorder.run(name, () => failsCleanly(run, entry.config, undefined));
    }
    return;
  }
  const name = { id: "check.fails", title };
  const { spec } = findings;
  if (blocked !== undefined || spec === undefined) {
    recorder.skip(name, blocked ?? "no SPEC");
    return;
  }
  if (!findings.schemaValid) {
    recorder.skip(name, "no invalid config given, and the spec is not valid JSON Schema to derive one from");
    return;
  }
  const derived = deriveInvalidConfig(spec, run.mainConfig.config);
  if (derived === undefined) {
    recorder.skip(name, "no invalid config given, and the spec has no field whose wrong value it rejects");
    return;
  }
  await recorder.run(name, () => failsCleanly(run, derived.config, derived.description));
}
