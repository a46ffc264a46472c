import { secretValues } from "@weir/cdk";
import type { ConnectorSpecification } from "@weir/protocol";
import { AcceptanceRun } from "./acceptance-run.js";
import type { AcceptanceOptions, AcceptanceReport, LabelledConfig } from "./acceptance-types.js";
import { runCheckChecks } from "./check-checks.js";
import { runDestinationChecks } from "./destination-checks.js";
import { runDiscoverChecks } from "./discover-checks.js";
import { runIncrementalChecks } from "./incremental-checks.js";
import { runProtocolChecks } from "./protocol-checks.js";
import { runReadChecks } from "./read-checks.js";
import { kindFromSpec, runSpecChecks, runSpecConfigChecks } from "./spec-checks.js";

const MASK = "**********";

function secretsOf(spec: ConnectorSpecification, configs: readonly LabelledConfig[]): string[] {
  const all = new Set<string>();
  for (const { config } of configs) {
    try {
      for (const secret of secretValues(spec, config)) all.add(secret);
    } catch {
      // A spec too broken to walk hides nothing; the spec checks say why.
    }
  }
  return [...all].sort((a, b) => b.length - a.length);
}

const maskerOf =
  (secrets: readonly string[]) =>
  (text: string): string =>
    secrets.reduce((out, secret) => (out.includes(secret) ? out.split(secret).join(MASK) : out), text);

/**
 * Runs Airbyte-style acceptance tests against any connector behind a handle (built-in,
 * local command or container): spec, check, then discover, full refresh and incremental reads
 * for a source, or writes in each sync mode for a destination, then protocol-wide checks. Each
 * result goes to `onResult` as it is known; secrets of the configs never appear in a reason.
 * Example: `const report = await runAcceptanceTests({ handle, configs: [{ label: "c.json", config }] }); report.status // "passed"`
 */
export async function runAcceptanceTests(options: AcceptanceOptions): Promise<AcceptanceReport> {
  const started = performance.now();
  const run = new AcceptanceRun(options);
  // Throws for a call without configs: that is a bug of the caller.
  void run.mainConfig;

  const findings = await runSpecChecks(run);
  const { spec } = findings;
  const kind = options.kind ?? (spec === undefined ? undefined : kindFromSpec(spec));
  if (spec !== undefined) {
    const secrets = secretsOf(spec, [...options.configs, ...(options.invalidConfigs ?? [])]);
    run.observer.watchSecrets(secrets);
    run.recorder.useMasker(maskerOf(secrets));
  }
  await runSpecConfigChecks(run, findings, kind);
  // Without a spec the configs' secret fields are unknown, so no command runs with a config:
  // what it printed could not be masked.
  const blocked = spec === undefined ? "no SPEC (spec.single_message failed)" : undefined;
  await runCheckChecks(run, findings, blocked);
  if (kind === "destination") await runDestinationChecks(run, spec);
  else {
    const discovered = await runDiscoverChecks(run, blocked);
    const why = blocked ?? "no catalog (discover.catalog failed)";
    await runReadChecks(run, discovered, why);
    await runIncrementalChecks(run, discovered, why);
  }
  await runProtocolChecks(run, spec !== undefined);

  const checks = run.recorder.results;
  const summary = {
    passed: checks.filter((c) => c.status === "passed").length,
    failed: checks.filter((c) => c.status === "failed").length,
    skipped: checks.filter((c) => c.status === "skipped").length,
  };
  return {
    status: run.recorder.cancelled ? "cancelled" : summary.failed > 0 ? "failed" : "passed",
    connector: run.description,
    kind,
    checks,
    summary,
    durationMs: Math.round(performance.now() - started),
  };
}
