import type { FailureType } from "@weir/protocol";

/**
 * A classified connector failure: what the user should read, and what an engineer needs.
 * Thrown from inside a stream's `read` (an async generator has no other channel) and turned
 * by the CDK into a TRACE ERROR with the same failure type.
 * Example: `throw new ConnectorError("config_error", "Table users does not exist", err.message)`.
 */
export class ConnectorError extends Error {
  readonly failureType: FailureType;
  readonly internalMessage: string | undefined;

  constructor(failureType: FailureType, message: string, internalMessage?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConnectorError";
    this.failureType = failureType;
    this.internalMessage = internalMessage;
  }
}

/** The user's configuration is wrong; retrying will not help. */
export const configError = (message: string, internal?: string): ConnectorError =>
  new ConnectorError("config_error", message, internal);

/** A temporary condition (network, rate limit); a retry may succeed. */
export const transientError = (message: string, internal?: string): ConnectorError =>
  new ConnectorError("transient_error", message, internal);

/** Anything else: a bug or a broken environment. */
export const systemError = (message: string, internal?: string): ConnectorError =>
  new ConnectorError("system_error", message, internal);
