import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { defineSource } from "@weir/cdk";
import { jsonlStreams } from "./jsonl-streams.js";
import { type JsonlSourceConfig, sourceJsonlSpec } from "./source-jsonl-spec.js";

/**
 * Reads a folder of `.jsonl` files, one stream per file, e.g. what destination-jsonl wrote.
 * Example config: `{ "path": "./out" }`.
 */
export const sourceJsonl = defineSource<JsonlSourceConfig>({
  name: "source-jsonl",
  version: "0.1.0",
  spec: sourceJsonlSpec,
  async check(ctx) {
    const root = resolve(ctx.config.path);
    const info = await stat(root).catch(() => undefined);
    if (info === undefined) return { ok: false, message: `The folder ${root} does not exist.` };
    if (!info.isDirectory()) return { ok: false, message: `${root} is not a folder.` };
    return { ok: true };
  },
  streams: (ctx) => jsonlStreams(ctx.config, ctx.logger),
});
