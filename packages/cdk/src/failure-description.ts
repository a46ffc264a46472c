import type { FailureType } from "@weir/protocol";
import { ConnectorError } from "./errors.js";

/** What an ERROR trace says about a thrown value. */
export interface FailureDescription {
  readonly message: string;
  readonly failureType: FailureType;
  readonly internalMessage: string | undefined;
  readonly stackTrace: string | undefined;
}

/**
 * Classifies a thrown value: a `ConnectorError` keeps its type and messages; anything else is a
 * system_error whose user message says what was being done (`context`) and what went wrong.
 * Example: `describeFailure(new TypeError("x is undefined"), 'Reading stream "users" failed')`
 */
export function describeFailure(error: unknown, context: string): FailureDescription {
  if (error instanceof ConnectorError) {
    return {
      message: error.message,
      failureType: error.failureType,
      internalMessage: error.internalMessage,
      stackTrace: error.stack,
    };
  }
  if (error instanceof Error) {
    return {
      message: `${context}: ${error.message}`,
      failureType: "system_error",
      internalMessage: error.message,
      stackTrace: error.stack,
    };
  }
  const text = String(error);
  return {
    message: `${context}: ${text}`,
    failureType: "system_error",
    internalMessage: text,
    stackTrace: undefined,
  };
}
