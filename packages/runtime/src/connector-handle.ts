import type { AirbyteMessage, ConnectorInvocation } from "@weir/protocol";

/** How a connector run ended, as the transport saw it. */
export interface RunExit {
  /** Process exit code; 0 for an in-process run that finished, 1 for one that threw. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines the connector wrote to stderr (or the in-process error), for failure messages. */
  readonly stderrTail: readonly string[];
}

/** One running connector command. */
export interface ConnectorRun {
  /**
   * Its output in batches, in order. Lines that are not protocol messages arrive as LOG
   * messages (level INFO, or ERROR for stderr), as Airbyte's platform treats them.
   * Ends when the connector closed its stdout.
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
