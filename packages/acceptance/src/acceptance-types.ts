import type { ConfiguredAirbyteCatalog, FailureType, StateInput } from "@weir/protocol";
import type { ConnectorHandle } from "@weir/runtime";

/** How one check ended. */
export type CheckStatus = "passed" | "failed" | "skipped";

/** The group a check belongs to: the first part of its id (`read` in `read.schema`). */
export type CheckPhase =
  | "spec"
  | "check"
  | "discover"
  | "read"
  | "full_refresh"
  | "incremental"
  | "write"
  | "protocol";

/** Which side a connector is. */
export type ConnectorKind = "source" | "destination";

/**
 * One check's outcome. Example:
 * `{ id: "spec.protocol_version", phase: "spec", title: "declares protocol_version", status: "passed", durationMs: 2 }`
 */
export interface CheckResult {
  readonly id: string;
  readonly phase: CheckPhase;
  readonly title: string;
  readonly status: CheckStatus;
  /** Why it failed or was skipped; for a pass, what was checked when that is worth saying. */
  readonly reason?: string;
  /** For a failure, whose fault it is, as Airbyte classifies failures. */
  readonly failureType?: FailureType;
  /** The label of the config the check ran with, when several were given. */
  readonly config?: string;
  readonly durationMs: number;
}

/** How many checks ended which way. */
export interface AcceptanceSummary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Everything `runAcceptanceTests` found. `status` is "passed" only when no check failed. */
export interface AcceptanceReport {
  readonly status: "passed" | "failed" | "cancelled";
  /** The handle's description, e.g. `built-in source-faker`. */
  readonly connector: string;
  /** The side it was tested as; undefined when neither the options nor its spec said. */
  readonly kind: ConnectorKind | undefined;
  readonly checks: readonly CheckResult[];
  readonly summary: AcceptanceSummary;
  readonly durationMs: number;
}

/** A config and the name it is shown by (usually its file). Example: `{ label: "faker.json", config: { count: 10 } }`. */
export interface LabelledConfig {
  readonly label: string;
  readonly config: unknown;
}

/** One line of an expected-records file, as in Airbyte's `expect_records`. */
export interface ExpectedRecord {
  readonly stream: string;
  readonly namespace?: string | undefined;
  readonly data: Record<string, unknown>;
}

/** A source that reads back what a destination under test wrote, e.g. source-jsonl for destination-jsonl. */
export interface ReadBackSource {
  readonly handle: ConnectorHandle;
  readonly config: unknown;
}

/** Time limits per command, in ms. */
export interface AcceptanceTimeouts {
  readonly spec?: number;
  readonly check?: number;
  readonly discover?: number;
  readonly read?: number;
  readonly write?: number;
}

/** What `runAcceptanceTests` tests, and with what. */
export interface AcceptanceOptions {
  readonly handle: ConnectorHandle;
  /** Default: what the spec says (a destination lists `supported_destination_sync_modes`). */
  readonly kind?: ConnectorKind | undefined;
  /**
   * Working configs, at least one. Each is validated against the spec and checked; the first
   * one drives discover, the reads and the writes.
   */
  readonly configs: readonly LabelledConfig[];
  /** Configs `check` must answer FAILED; when none is given, one is derived from the spec. */
  readonly invalidConfigs?: readonly LabelledConfig[] | undefined;
  /** The streams to read (their definitions are taken from discover); default: every stream. */
  readonly catalog?: ConfiguredAirbyteCatalog | undefined;
  readonly expectedRecords?: readonly ExpectedRecord[] | undefined;
  /** A state from the far future (Airbyte's `future_state`); derived from a read when absent. */
  readonly futureState?: StateInput | undefined;
  /** Reads a destination's output back; without it, written data is not checked. */
  readonly readBack?: ReadBackSource | undefined;
  readonly timeouts?: AcceptanceTimeouts | undefined;
  /** A read that emits more records is stopped and fails. Default 100,000. */
  readonly maxRecordsPerRead?: number | undefined;
  /** Stops the tests: the running command is killed, the checks left are skipped. */
  readonly signal?: AbortSignal | undefined;
  /** Called with each result as soon as it is known (for live output). */
  readonly onResult?: ((result: CheckResult) => void) | undefined;
}
