import type { FailureType } from "@weir/protocol";

/** Where a failure of a `weir` command comes from: a connector, weir itself, or the pipeline file. */
export type FailureOrigin = "source" | "destination" | "platform" | "pipeline";

/** A classified failure of a `weir` command, ready to show. Same shape as the runtime's SyncFailure. */
export interface CommandFailure {
  readonly type: FailureType;
  readonly origin: FailureOrigin;
  readonly message: string;
  readonly internalMessage?: string;
}

/** The result of a step that can fail in an expected way. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: CommandFailure };

/** Example: `configFailure("pipeline", "pipeline.yaml: source: missing")`. */
export function configFailure(
  origin: FailureOrigin,
  message: string,
): { ok: false; failure: CommandFailure } {
  return { ok: false, failure: { type: "config_error", origin, message } };
}

/**
 * The cause as the user reads it, e.g. `config_error from source` or `config_error in the
 * pipeline file`. Example: `describeFailureCause(failure)`.
 */
export function describeFailureCause(failure: CommandFailure): string {
  switch (failure.origin) {
    case "source":
    case "destination":
      return `${failure.type} from ${failure.origin}`;
    case "pipeline":
      return `${failure.type} in the pipeline file`;
    case "platform":
      return failure.type;
  }
}
