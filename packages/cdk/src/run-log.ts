import {
  type AirbyteMessage,
  errorTrace,
  type FailureType,
  type LogLevel,
  logMessage,
  type StreamDescriptor,
  type TraceMessage,
} from "@weir/protocol";
import type { ConnectorLogger } from "./define.js";
import type { FailureDescription } from "./failure-description.js";

/**
 * The connector's logger during one run: LOG messages wait here until the runner's next batch,
 * so that they come out in order with everything else. Every text that leaves through it (log
 * lines, error traces) has the config's secret values masked.
 */
export class RunLog implements ConnectorLogger {
  #pending: AirbyteMessage[] = [];
  #mask: (text: string) => string = (text) => text;

  /** Masks these secrets from now on (set once the config is known). */
  useMasker(mask: (text: string) => string): void {
    this.#mask = mask;
  }

  mask(text: string): string {
    return this.#mask(text);
  }

  log(level: LogLevel, message: string, stackTrace?: string): void {
    this.#pending.push(
      logMessage(level, this.#mask(message), stackTrace === undefined ? undefined : this.#mask(stackTrace)),
    );
  }

  /** A TRACE ERROR for a failure, masked. */
  errorTrace(failure: FailureDescription, streamDescriptor?: StreamDescriptor): TraceMessage {
    const options: Parameters<typeof errorTrace>[2] = {
      internalMessage:
        failure.internalMessage === undefined ? undefined : this.#mask(failure.internalMessage),
      stackTrace: failure.stackTrace === undefined ? undefined : this.#mask(failure.stackTrace),
    };
    if (streamDescriptor !== undefined) options.streamDescriptor = streamDescriptor;
    return errorTrace(this.#mask(failure.message), failure.failureType, options);
  }

  /** A TRACE ERROR the CDK itself raises (bad config, catalog or state): no stack, it is no crash. */
  problemTrace(message: string, failureType: FailureType = "config_error"): TraceMessage {
    return errorTrace(this.#mask(message), failureType);
  }

  /** The pending log lines followed by `messages`; the pending lines are then gone. */
  withPending(messages: readonly AirbyteMessage[]): readonly AirbyteMessage[] {
    if (this.#pending.length === 0) return messages;
    const out = this.#pending;
    this.#pending = [];
    for (const message of messages) out.push(message);
    return out;
  }
}
