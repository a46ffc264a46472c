import type { AirbyteLogMessage, LogLevel } from "@weir/protocol";
import { describeStream, type UnknownStream } from "./stream-counters.js";
import type { SyncLogEntry, SyncOrigin } from "./sync-types.js";

/**
 * The attempt's log as the driver writes it: its own lines, the connectors' LOG messages, and
 * the warnings it gives once. Example: `new SyncLog(options.onLog).write("platform", "INFO", "…")`.
 */
export class SyncLog {
  readonly #onLog: ((entry: SyncLogEntry) => void) | undefined;
  readonly #controlLogged = new Set<SyncOrigin>();

  constructor(onLog: ((entry: SyncLogEntry) => void) | undefined) {
    this.#onLog = onLog;
  }

  write(origin: SyncOrigin, level: LogLevel, message: string): void {
    this.#onLog?.({ origin, level, message, at: Date.now() });
  }

  /** A connector's LOG message, with its stack trace. */
  connector(origin: "source" | "destination", log: AirbyteLogMessage): void {
    const stack = log.stack_trace == null || log.stack_trace === "" ? "" : `\n${log.stack_trace}`;
    this.write(origin, log.level, `${log.message}${stack}`);
  }

  /** A CONTROL message, noted once per side. */
  control(origin: "source" | "destination"): void {
    if (this.#controlLogged.has(origin)) return;
    this.#controlLogged.add(origin);
    // The message carries a whole config, secrets included: it is never logged.
    this.write(
      "platform",
      "WARN",
      `the ${origin} sent an updated connector config (a CONTROL message); Weir does not persist updated configs yet, so it is ignored`,
    );
  }

  unknownStream(stream: UnknownStream): void {
    this.write(
      "platform",
      "WARN",
      `the source sent records of stream ${describeStream(stream)}, which is not in the configured catalog; they are counted and not written`,
    );
  }
}
