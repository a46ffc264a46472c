import type { AirbyteLogMessage, AirbyteMessage, LogLevel, TraceMessage } from "@weir/protocol";
import { traceFailure } from "./failure.js";
import type { StateLedger } from "./state-ledger.js";
import { describeStream, type StreamCounters } from "./stream-counters.js";
import type { SyncFailure, SyncOrigin } from "./sync-types.js";

/** What reading a connector's messages reports to the sync. */
export interface SyncEvents {
  fail(failure: SyncFailure): void;
  log(origin: SyncOrigin, level: LogLevel, message: string): void;
  connectorLog(origin: "source" | "destination", log: AirbyteLogMessage): void;
  /** A CONTROL message (an updated connector config): never logged with its content. */
  control(origin: "source" | "destination"): void;
}

/** Records what a source trace says; true when it goes on to the destination (COMPLETE statuses). */
function sourceTrace(message: TraceMessage, counters: StreamCounters, events: SyncEvents): boolean {
  const trace = message.trace;
  if (trace.type === "ERROR" && trace.error != null) events.fail(traceFailure(trace.error, "source"));
  else if (trace.type === "STREAM_STATUS" && trace.stream_status != null) {
    const status = trace.stream_status;
    const stats = counters.stats(status.stream_descriptor);
    if (stats === undefined) {
      events.log(
        "platform",
        "WARN",
        `the source reported a status for stream ${status.stream_descriptor.name}, which is not in the configured catalog`,
      );
      return false;
    }
    stats.status = status.status;
    return status.status === "COMPLETE";
  } else if (trace.type === "ESTIMATE" && trace.estimate?.type === "STREAM") {
    const stats = counters.stats(trace.estimate);
    if (stats !== undefined && trace.estimate.row_estimate != null)
      stats.rowEstimate = trace.estimate.row_estimate;
  }
  return false;
}

/**
 * Takes in one batch from the source: counts records, remembers states with the records they
 * cover, records traces, passes logs on. Returns what the destination gets (RECORDs of
 * configured streams, STATEs, COMPLETE statuses) and its size for the queue's byte limit.
 * Example: `const { forward, bytes } = routeSourceBatch(batch, counters, ledger, events)`.
 */
export function routeSourceBatch(
  batch: readonly AirbyteMessage[],
  counters: StreamCounters,
  ledger: StateLedger,
  events: SyncEvents,
): { forward: AirbyteMessage[]; bytes: number } {
  const forward: AirbyteMessage[] = [];
  let bytes = 0;
  for (const message of batch) {
    switch (message.type) {
      case "RECORD": {
        const size = counters.record(message);
        if (size >= 0) {
          forward.push(message);
          bytes += size;
        }
        break;
      }
      case "STATE": {
        const descriptor = message.state.stream?.stream_descriptor;
        if (descriptor != null && counters.stats(descriptor) === undefined) {
          // Kept and committed all the same: state is the source's business, and a later
          // catalog may configure the stream.
          events.log(
            "platform",
            "WARN",
            `the source sent a state for stream ${describeStream(descriptor)}, which is not in the configured catalog`,
          );
        }
        ledger.sentBySource(message.state, counters.checkpoint(message.state));
        forward.push(message);
        break;
      }
      case "TRACE":
        if (sourceTrace(message, counters, events)) forward.push(message);
        break;
      case "LOG":
        events.connectorLog("source", message.log);
        break;
      case "CONTROL":
        events.control("source");
        break;
      default:
        // SPEC, CATALOG, CONNECTION_STATUS have no place in a read.
        break;
    }
  }
  return { forward, bytes };
}
