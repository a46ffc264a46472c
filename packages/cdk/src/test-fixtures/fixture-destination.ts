// A tiny destination bin for the entrypoint tests: appends records to `path` and, at close,
// writes `close ok=<bool> complete=<streams>` to `path`.close.
import { appendFile, writeFile } from "node:fs/promises";
import { defineDestination } from "../define.js";
import { runEntrypoint } from "../entrypoint.js";

interface Config {
  path: string;
}

export const fixtureDestination = defineDestination<Config>({
  name: "destination-fixture",
  version: "0.0.1",
  spec: {
    connectionSpecification: {
      type: "object",
      required: ["path"],
      properties: { path: { type: "string" } },
    },
    supported_destination_sync_modes: ["append"],
  },
  async open({ config }) {
    let pending = "";
    return {
      write(records) {
        for (const r of records) pending += `${JSON.stringify({ stream: r.stream, data: r.data })}\n`;
      },
      async flush() {
        await appendFile(config.path, pending);
        pending = "";
      },
      async close({ ok, completeStreams }) {
        if (ok) await appendFile(config.path, pending);
        await writeFile(
          `${config.path}.close`,
          `close ok=${ok} complete=${[...completeStreams].join(",")}\n`,
        );
      },
    };
  },
});

await runEntrypoint(fixtureDestination);
