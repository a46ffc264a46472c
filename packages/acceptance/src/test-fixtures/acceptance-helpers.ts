import type { Connector } from "@weir/cdk";
import { type ConnectorHandle, createInProcessHandle } from "@weir/runtime";
import type { AcceptanceOptions, AcceptanceReport, CheckResult } from "../acceptance-types.js";
import { runAcceptanceTests } from "../run-acceptance-tests.js";

/** Runs the tests on a CDK connector (in-process) or a handle, with one config. */
export function testConnector(
  connector: Connector | ConnectorHandle,
  config: unknown,
  options: Partial<AcceptanceOptions> = {},
): Promise<AcceptanceReport> {
  const handle = "run" in connector ? connector : createInProcessHandle(connector);
  return runAcceptanceTests({ handle, configs: [{ label: "config.json", config }], ...options });
}

/** The result of one check; throws when the report has none of that id. */
export function resultOf(report: AcceptanceReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  if (found === undefined)
    throw new Error(`no check ${id} in the report: ${report.checks.map((c) => c.id).join(", ")}`);
  return found;
}

/** The ids of the failed checks, in order. */
export const failedIds = (report: AcceptanceReport): string[] =>
  report.checks.filter((c) => c.status === "failed").map((c) => c.id);
