import type { AirbyteStream, ConfiguredAirbyteStream, FailureType } from "@weir/protocol";
import type { AcceptanceRun } from "./acceptance-run.js";
import type { ReadBackSource } from "./acceptance-types.js";
import { runFailure } from "./connector-output.js";
import { listSome } from "./text-clip.js";

/** What one stream read back to: its rows, or why they could not be read. */
export type ReadBack =
  | { readonly ok: true; readonly rows: readonly Record<string, unknown>[] }
  | { readonly ok: false; readonly reason: string; readonly failureType: FailureType };

const failure = (reason: string, failureType: FailureType = "system_error"): ReadBack => ({
  ok: false,
  reason,
  failureType,
});

/**
 * Reads back what a destination wrote, through a source that reads that place (source-jsonl
 * for destination-jsonl…): one discover, each stream found by name (a destination may change
 * its case), then one read of them all in full. Gives each stream's rows or why there are none.
 * Example: `(await readBackStreams(run, readBack, ["weir_acceptance_1a2b3c_append"])).get("weir_acceptance_1a2b3c_append")`
 */
export async function readBackStreams(
  run: AcceptanceRun,
  source: ReadBackSource,
  streams: readonly string[],
): Promise<Map<string, ReadBack>> {
  const what = `the read-back source (${source.handle.description})`;
  const all = (back: ReadBack) => new Map(streams.map((s) => [s, back]));
  const discovered = await run.executeWith(source.handle, { command: "discover", config: source.config });
  const catalog = discovered.messages.flatMap((m) => (m.type === "CATALOG" ? [m.catalog] : [])).at(-1);
  if (catalog === undefined) {
    const why = runFailure(discovered, source.handle.description);
    return all(
      failure(
        `${what} answered discover without a catalog${why === undefined ? "" : `: ${why.reason}`}`,
        why?.failureType,
      ),
    );
  }
  const found = new Map<string, AirbyteStream>();
  for (const name of streams) {
    const stream =
      catalog.streams.find((s) => s.name === name) ??
      catalog.streams.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (stream !== undefined) found.set(name, stream);
  }
  const out = new Map<string, ReadBack>();
  const names = catalog.streams.map((s) => s.name);
  for (const name of streams) {
    if (!found.has(name)) {
      out.set(
        name,
        failure(
          `${what} finds no stream ${name}: the destination wrote nothing it can see (it has: ${listSome(names, 5) || "none"})`,
        ),
      );
    }
  }
  if (found.size === 0) return out;
  const configured: ConfiguredAirbyteStream[] = [...found.values()].map((stream) => ({
    stream,
    sync_mode: stream.supported_sync_modes.includes("full_refresh") ? "full_refresh" : "incremental",
    destination_sync_mode: "append",
  }));
  const output = await run.executeWith(source.handle, {
    command: "read",
    config: source.config,
    catalog: { streams: configured },
  });
  const why = runFailure(output, source.handle.description);
  for (const [name, stream] of found) {
    out.set(
      name,
      why === undefined
        ? { ok: true, rows: output.records.filter((r) => r.stream === stream.name).map((r) => r.data) }
        : failure(`${what} failed: ${why.reason}`, why.failureType),
    );
  }
  return out;
}
