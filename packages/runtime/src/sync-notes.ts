import type { StateLedger } from "./state-ledger.js";
import { describeStream, type StreamCounters } from "./stream-counters.js";

/**
 * What the user should know about a finished sync: dropped records of unconfigured streams,
 * and states that were never committed. Example: `syncNotes(counters, ledger)`.
 */
export function syncNotes(counters: StreamCounters, ledger: StateLedger): string[] {
  const notes: string[] = [];
  for (const stream of counters.unknownStreams()) {
    notes.push(
      `the source sent ${stream.records} record(s) of stream ${describeStream(stream)}, which is not in the configured catalog; they were not written`,
    );
  }
  if (ledger.sent === 0) {
    notes.push(
      "the source sent no state: nothing was committed, and the next run starts from the same state",
    );
  } else if (ledger.commits === 0) {
    notes.push(
      `the destination echoed none of the ${ledger.sent} state(s) the source sent: nothing was committed, and the next run starts from the same state`,
    );
  } else if (ledger.pending > 0) {
    notes.push(
      `${ledger.pending} of the ${ledger.sent} states the source sent were not confirmed by the destination, so they were not committed`,
    );
  }
  return notes;
}
