// One measurement of the protocol pipe benchmark, run in its own process by run-all.ts:
//   node dist/pipe-bench.js cat|parse|pipe FILE RECORDS
//   node dist/pipe-bench.js pipe-container FILE RECORDS SOURCE_IMAGE NODE_IMAGE
import { spawn } from "node:child_process";
import { createReadStream, statSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConfiguredAirbyteCatalog } from "@weir/protocol";
import { createContainerHandle, createProcessHandle, runSync } from "@weir/runtime";
import { report } from "./measurement.js";

const [mode, file, recordsArg] = process.argv.slice(2);
if (mode === undefined || file === undefined || recordsArg === undefined) {
  throw new Error("usage: pipe-bench.js cat|parse|pipe FILE RECORDS");
}
const records = Number(recordsArg);
const bytes = statSync(file).size;
const startedAt = process.hrtime.bigint();

async function baselineCat(path: string): Promise<void> {
  const child = spawn("cat", [path], { stdio: ["ignore", "pipe", "inherit"] });
  let seen = 0;
  for await (const chunk of child.stdout) seen += (chunk as Buffer).length;
  if (seen !== bytes) throw new Error(`cat delivered ${seen} of ${bytes} bytes`);
}

async function baselineParse(path: string): Promise<void> {
  let pending = "";
  let parsed = 0;
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 16 })) {
    const lines = (pending + (chunk as string)).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (line.length > 0) {
        JSON.parse(line);
        parsed++;
      }
    }
  }
  if (parsed < records) throw new Error(`parsed ${parsed} lines, expected at least ${records}`);
}

async function pipe(path: string): Promise<void> {
  const destinationScript = fileURLToPath(new URL("./bench-destination.js", import.meta.url));
  const catalog: ConfiguredAirbyteCatalog = {
    streams: [
      {
        stream: { name: "rows", json_schema: { type: "object" }, supported_sync_modes: ["incremental"] },
        sync_mode: "incremental",
        destination_sync_mode: "append",
      },
    ],
  };
  const result = await runSync({
    // The source is `cat`: the cheapest possible producer, so the driver is what is measured.
    source: { handle: createProcessHandle({ command: ["sh", "-c", 'exec cat "$0"', path] }), config: {} },
    destination: {
      handle: createProcessHandle({ command: [process.execPath, destinationScript] }),
      config: {},
    },
    catalog,
  });
  const stream = result.streams[0];
  if (result.status !== "succeeded" || stream?.recordsCommitted !== records) {
    throw new Error(
      `pipe failed: ${JSON.stringify({ status: result.status, failure: result.failure, stream })}`,
    );
  }
}

/**
 * The `pipe` measurement with both connectors in containers: a busybox image runs the same
 * `cat` of the file (mounted read-only), and an image holding only node runs the same
 * destination script. The images are built beforehand (run-all.ts), so their start is measured
 * but not their build.
 */
async function pipeContainer(path: string): Promise<void> {
  const [sourceImage, nodeImage] = process.argv.slice(5);
  if (sourceImage === undefined || nodeImage === undefined)
    throw new Error("pipe-container needs two images");
  const destinationScript = fileURLToPath(new URL("./bench-destination.js", import.meta.url));
  const inContainer = "/bench/records.jsonl";
  const result = await runSync({
    source: {
      handle: createContainerHandle({
        image: sourceImage,
        args: ["sh", "-c", 'exec cat "$0"', inContainer],
        volumes: [{ source: path, target: inContainer, readOnly: true }],
      }),
      config: {},
    },
    destination: {
      handle: createContainerHandle({
        image: nodeImage,
        args: [destinationScript],
        volumes: [{ source: dirname(destinationScript), target: dirname(destinationScript), readOnly: true }],
      }),
      config: {},
    },
    catalog: {
      streams: [
        {
          stream: { name: "rows", json_schema: { type: "object" }, supported_sync_modes: ["incremental"] },
          sync_mode: "incremental",
          destination_sync_mode: "append",
        },
      ],
    },
  });
  const stream = result.streams[0];
  if (result.status !== "succeeded" || stream?.recordsCommitted !== records) {
    throw new Error(
      `pipe-container failed: ${JSON.stringify({ status: result.status, failure: result.failure, stream })}`,
    );
  }
}

const modes: Record<string, (path: string) => Promise<void>> = {
  cat: baselineCat,
  parse: baselineParse,
  pipe,
  "pipe-container": pipeContainer,
};
const run = modes[mode];
if (run === undefined) throw new Error(`unknown mode ${mode}`);
await run(file);
report(mode, startedAt, records, bytes);
