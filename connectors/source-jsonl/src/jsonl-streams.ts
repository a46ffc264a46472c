import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type ConnectorLogger,
  configError,
  type RecordData,
  type StreamChunk,
  type StreamDefinition,
  type StreamReadContext,
} from "@weir/cdk";
import { streamKey } from "@weir/protocol";
import { inferJsonSchema } from "./json-schema-inference.js";
import { findJsonlFiles, type JsonlFile } from "./jsonl-file-discovery.js";
import { HEAD_BYTES, headHash, readJsonlFileState, writeJsonlFileState } from "./jsonl-file-state.js";
import { lineBatches } from "./jsonl-line-batches.js";
import { isBlank, parseObjectLine, recordDataOf, recordOfLine } from "./record-line.js";
import type { JsonlSourceConfig } from "./source-jsonl-spec.js";

/** Schemas are inferred from this many lines at most, within the first MiB. */
export const SCHEMA_SAMPLE_LINES = 100;
const SCHEMA_SAMPLE_BYTES = 1024 * 1024;

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw configError(`${path} no longer exists.`);
  return info.size;
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function sampleRecords(path: string): Promise<RecordData[]> {
  const size = await sizeOf(path);
  const samples: RecordData[] = [];
  for await (const batch of lineBatches(path, 0, Math.min(size, SCHEMA_SAMPLE_BYTES))) {
    for (const line of batch.lines) {
      const value = isBlank(line) ? undefined : parseObjectLine(line);
      if (value !== undefined) samples.push(recordDataOf(value));
      if (samples.length >= SCHEMA_SAMPLE_LINES) return samples;
    }
  }
  return samples;
}

/** Where a read starts: after the previous run's last line, unless the file was replaced. */
function startOf(
  file: JsonlFile,
  ctx: StreamReadContext<JsonlSourceConfig>,
  size: number,
  head: Buffer,
): { offset: number; lineCount: number } {
  if (ctx.syncMode !== "incremental") return { offset: 0, lineCount: 0 };
  const previous = readJsonlFileState(ctx.state);
  if (previous === undefined) return { offset: 0, lineCount: 0 };
  if ("invalid" in previous) {
    ctx.logger.log(
      "WARN",
      `Ignoring the state of stream ${file.name} (${previous.invalid}): reading ${file.path} from the start.`,
    );
    return { offset: 0, lineCount: 0 };
  }
  if (previous.byteOffset > size || headHash(head, previous.byteOffset) !== previous.headSha256) {
    ctx.logger.log("WARN", `${file.path} was replaced since the last read: reading it from the start.`);
    return { offset: 0, lineCount: 0 };
  }
  return { offset: previous.byteOffset, lineCount: previous.lineCount };
}

async function* readFile(
  file: JsonlFile,
  ctx: StreamReadContext<JsonlSourceConfig>,
): AsyncGenerator<StreamChunk> {
  const incremental = ctx.syncMode === "incremental";
  // The size now bounds the read: lines appended meanwhile belong to the next run.
  const size = await sizeOf(file.path);
  const head = await readHead(file.path);
  const start = startOf(file, ctx, size, head);
  let lineCount = start.lineCount;
  const chunk = (records: RecordData[], offset: number): StreamChunk =>
    incremental
      ? {
          records,
          state: writeJsonlFileState({ byteOffset: offset, lineCount, headSha256: headHash(head, offset) }),
        }
      : { records };

  let yielded = false;
  for await (const batch of lineBatches(file.path, start.offset, size)) {
    const records: RecordData[] = [];
    for (const line of batch.lines) {
      lineCount++;
      if (!isBlank(line)) records.push(recordOfLine(line, file.path, lineCount));
    }
    let offset = batch.endOffset;
    if (batch.tail !== undefined && !isBlank(batch.tail.text)) {
      // A file may lack its final newline; a torn line from a writer still at work is left
      // for the next run.
      const value = parseObjectLine(batch.tail.text);
      if (value !== undefined) {
        lineCount++;
        records.push(recordDataOf(value));
        offset = batch.tail.endOffset;
      } else {
        const fate = incremental ? "it is left for the next read" : "it was skipped";
        ctx.logger.log("WARN", `${file.path}: the last line is unfinished; ${fate}.`);
      }
    }
    yield chunk(records, offset);
    yielded = true;
  }
  if (!yielded && incremental) yield chunk([], start.offset);
}

async function estimate(
  file: JsonlFile,
  ctx: StreamReadContext<JsonlSourceConfig>,
): Promise<{ bytes: number }> {
  const size = await sizeOf(file.path);
  const previous = ctx.syncMode === "incremental" ? readJsonlFileState(ctx.state) : undefined;
  const offset =
    previous !== undefined && !("invalid" in previous) && previous.byteOffset <= size
      ? previous.byteOffset
      : 0;
  return { bytes: size - offset };
}

/** One stream per file of the folder. Example: `await jsonlStreams({ path: "./out" }, logger)`. */
export async function jsonlStreams(
  config: JsonlSourceConfig,
  logger: ConnectorLogger,
): Promise<StreamDefinition<JsonlSourceConfig>[]> {
  const files = await findJsonlFiles(resolve(config.path));
  const seen = new Set<string>();
  const unique: JsonlFile[] = [];
  for (const file of files) {
    const key = streamKey(file);
    if (seen.has(key)) {
      logger.log("WARN", `Skipping ${file.path}: another file already names stream ${file.name}.`);
      continue;
    }
    seen.add(key);
    unique.push(file);
  }
  const schemas = await Promise.all(
    unique.map(async (file) => inferJsonSchema(await sampleRecords(file.path))),
  );
  return unique.map((file, i) => {
    const stream: StreamDefinition<JsonlSourceConfig> = {
      name: file.name,
      jsonSchema: schemas[i] ?? inferJsonSchema([]),
      supportedSyncModes: ["full_refresh", "incremental"],
      // The cursor is the file's byte offset, which no record field holds.
      sourceDefinedCursor: true,
      estimate: (ctx) => estimate(file, ctx),
      read: (ctx) => readFile(file, ctx),
    };
    return file.namespace === undefined ? stream : { ...stream, namespace: file.namespace };
  });
}
