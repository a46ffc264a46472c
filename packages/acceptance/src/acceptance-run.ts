import type { ConnectorInvocation } from "@weir/protocol";
import type { ConnectorHandle } from "@weir/runtime";
import type { AcceptanceOptions, LabelledConfig } from "./acceptance-types.js";
import { CheckRecorder } from "./check-recorder.js";
import { type ConnectorOutput, collectRun } from "./connector-output.js";
import { OutputObserver } from "./output-observer.js";

// Airbyte's acceptance tests allow spec and check one minute, discover five, a read ten.
const DEFAULT_TIMEOUTS = { spec: 60_000, check: 60_000, discover: 300_000, read: 600_000, write: 600_000 };
const DEFAULT_MAX_RECORDS = 100_000;

/**
 * One acceptance run: the connector, its inputs, the recorder of results and the observer of
 * everything the connector prints. Every phase's checks take it. Example: `await run.execute({ command: "spec" })`.
 */
export class AcceptanceRun {
  readonly recorder: CheckRecorder;
  readonly observer = new OutputObserver();

  constructor(readonly options: AcceptanceOptions) {
    this.recorder = new CheckRecorder(options.onResult, options.signal);
  }

  get handle(): ConnectorHandle {
    return this.options.handle;
  }

  get description(): string {
    return this.options.handle.description;
  }

  /** The config that drives discover, reads and writes. */
  get mainConfig(): LabelledConfig {
    const first = this.options.configs[0];
    if (first === undefined) throw new Error("runAcceptanceTests needs at least one config");
    return first;
  }

  /** The label to show with a config's checks: only when there are several to tell apart. */
  configLabel(config: LabelledConfig, among: readonly LabelledConfig[]): string | undefined {
    return among.length > 1 ? config.label : undefined;
  }

  /** Runs a command of the tested connector, watched by the observer. */
  async execute(invocation: ConnectorInvocation): Promise<ConnectorOutput> {
    const output = await this.executeWith(this.handle, invocation, true);
    this.observer.noteMalformed(invocation.command, output.malformed);
    return output;
  }

  /** Runs a command of any connector (a read-back source: not watched, it is not under test). */
  executeWith(
    handle: ConnectorHandle,
    invocation: ConnectorInvocation,
    watched = false,
  ): Promise<ConnectorOutput> {
    const command = invocation.command;
    const timeoutMs = this.options.timeouts?.[command] ?? DEFAULT_TIMEOUTS[command];
    return collectRun(handle, invocation, {
      timeoutMs,
      signal: this.options.signal,
      maxRecords: this.options.maxRecordsPerRead ?? DEFAULT_MAX_RECORDS,
      observe: watched ? (message, cmd) => this.observer.observe(message, cmd) : undefined,
    });
  }
}
