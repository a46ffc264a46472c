import type { FailureType } from "@weir/protocol";
import type { CheckPhase, CheckResult } from "./acceptance-types.js";

/** What a check decided. Build one with `passed`, `failed` or `skipped`. */
export type Verdict =
  | { readonly status: "passed"; readonly reason?: string }
  | { readonly status: "failed"; readonly reason: string; readonly failureType: FailureType }
  | { readonly status: "skipped"; readonly reason: string };

/** Example: `passed("30 records checked")`. */
export const passed = (reason?: string): Verdict =>
  reason === undefined ? { status: "passed" } : { status: "passed", reason };

/** A failure is the connector's bug (system_error) unless said otherwise. Example: `failed("no SPEC")`. */
export const failed = (reason: string, failureType: FailureType = "system_error"): Verdict => ({
  status: "failed",
  reason,
  failureType,
});

/** Example: `skipped("no --expected-records given")`. */
export const skipped = (reason: string): Verdict => ({ status: "skipped", reason });

/** A check's identity. Example: `{ id: "spec.protocol_version", title: "declares protocol_version" }`. */
export interface CheckName {
  readonly id: string;
  readonly title: string;
  /** The config it runs with, when several were given. */
  readonly config?: string | undefined;
}

const phaseOf = (id: string): CheckPhase => id.slice(0, id.indexOf(".")) as CheckPhase;

/**
 * Runs checks one by one, times them, masks secrets out of their reasons and hands each result
 * on as soon as it is known. Example: `await recorder.run({ id, title }, () => passed())`.
 */
export class CheckRecorder {
  readonly results: CheckResult[] = [];
  #mask: (text: string) => string = (text) => text;

  constructor(
    private readonly onResult: ((result: CheckResult) => void) | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Every reason from now on goes through `mask` (secret values of the configs become stars). */
  useMasker(mask: (text: string) => string): void {
    this.#mask = mask;
  }

  get cancelled(): boolean {
    return this.signal?.aborted === true;
  }

  /** Runs one check, unless the tests were cancelled (then it is skipped). Returns its verdict. */
  async run(name: CheckName, check: () => Promise<Verdict> | Verdict): Promise<Verdict> {
    if (this.cancelled) return this.record(name, skipped("cancelled"), 0);
    const started = performance.now();
    const verdict = await check();
    // A check interrupted by the cancellation did not find anything out.
    const final = this.cancelled && verdict.status === "failed" ? skipped("cancelled") : verdict;
    return this.record(name, final, performance.now() - started);
  }

  /** Records a check that cannot run, with why. */
  skip(name: CheckName, reason: string): Verdict {
    return this.record(name, skipped(this.cancelled ? "cancelled" : reason), 0);
  }

  private record(name: CheckName, verdict: Verdict, durationMs: number): Verdict {
    const result: CheckResult = {
      id: name.id,
      phase: phaseOf(name.id),
      title: name.title,
      status: verdict.status,
      ...(verdict.reason === undefined ? {} : { reason: this.#mask(verdict.reason) }),
      ...(verdict.status === "failed" ? { failureType: verdict.failureType } : {}),
      ...(name.config === undefined ? {} : { config: name.config }),
      durationMs: Math.round(durationMs),
    };
    this.results.push(result);
    this.onResult?.(result);
    return verdict;
  }
}
