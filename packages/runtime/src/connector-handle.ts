import type { AirbyteMessage, ConnectorInvocation, FailureType } from "@weir/protocol";

/**
 * A failure the transport saw itself, not one the connector reported: the command could not
 * start, or it printed a line over the size limit. Example: `{ type: "config_error", message: "command not found: foo" }`.
 */
export interface RunFailure {
  readonly type: FailureType;
  readonly message: string;
  readonly internalMessage?: string;
}

/** How a connector run ended, as the transport saw it. */
export interface RunExit {
  /**
   * Process exit code; for an in-process run 0 when it finished, 1 when it threw or emitted a
   * TRACE ERROR, null (with signal SIGTERM) when it was killed before it finished.
   */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines the connector wrote to stderr (or the in-process error), for failure messages. */
  readonly stderrTail: readonly string[];
  /** Set when the transport itself failed the run (see RunFailure); the connector's own failures are its TRACE ERRORs. */
  readonly failure?: RunFailure;
}

/** One running connector command. */
export interface ConnectorRun {
  /**
   * Its output in batches, in order. Lines that are not protocol messages, and stderr lines,
   * arrive as LOG messages at level INFO, as Airbyte's platform logs them. Ends when the
   * connector closed its stdout. Read it to the end, or `return()` its iterator to stop reading
   * (the connector's output is then discarded): a run whose output nobody takes cannot finish.
   */
  readonly messages: AsyncIterable<readonly AirbyteMessage[]>;
  /** Settles when the connector has exited and its resources are released. */
  readonly exit: Promise<RunExit>;
  /** Stops the connector now (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  kill(reason?: string): void;
}

/**
 * A connector, whatever the transport: in-process, a local process or (later) a container.
 * Example: `const run = handle.run({ command: "spec" }); for await (const batch of run.messages) …`
 */
export interface ConnectorHandle {
  /** Human-readable description for logs and errors, e.g. `built-in source-faker`. */
  readonly description: string;
  run(invocation: ConnectorInvocation, options?: { readonly signal?: AbortSignal }): ConnectorRun;
}
