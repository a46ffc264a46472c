import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { defineDestination } from "@weir/cdk";
import { destinationJsonlSpec, type JsonlDestinationConfig } from "./destination-jsonl-spec.js";
import { openJsonlWriter } from "./jsonl-writer.js";

/**
 * Writes each stream to `<destination_path>/[<namespace>/]<stream>.jsonl`, one Destinations V2
 * raw record per line. Example config: `{ "destination_path": "./out" }`.
 */
export const destinationJsonl = defineDestination<JsonlDestinationConfig>({
  name: "destination-jsonl",
  version: "0.1.0",
  spec: destinationJsonlSpec,
  async check(ctx) {
    const root = resolve(ctx.config.destination_path);
    const probe = join(root, `.weir-check-${process.pid}`);
    try {
      await mkdir(root, { recursive: true });
      await writeFile(probe, "");
      await rm(probe, { force: true });
      return { ok: true };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
      return { ok: false, message: `Cannot write into destination_path ${root} (${code}).` };
    }
  },
  open: openJsonlWriter,
});
