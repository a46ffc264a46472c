import { createReadStream } from "node:fs";
import { configError } from "@weir/cdk";

/** The complete lines of one read chunk, and the byte offset just after the last of them. */
export interface LineBatch {
  readonly lines: readonly string[];
  readonly endOffset: number;
  /** Text after the file's last newline, on the last batch only: a line still being written, or a file without a final newline. */
  readonly tail?: { readonly text: string; readonly endOffset: number };
}

const CHUNK_BYTES = 1024 * 1024;
/** Longer lines are refused rather than buffered without bound. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Reads bytes [start, end) of a file in large chunks and yields its lines, one batch per
 * chunk. `\r\n` endings lose their `\r`.
 * Example: `for await (const { lines, endOffset } of lineBatches("/out/users.jsonl", 0, size)) …`.
 */
export async function* lineBatches(path: string, start: number, end: number): AsyncGenerator<LineBatch> {
  if (end <= start) return;
  const input = createReadStream(path, { start, end: end - 1, highWaterMark: CHUNK_BYTES });
  // Bytes of a line that spans chunks, kept as parts so a long line is copied once.
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let offset = start;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let buffer = chunk;
    if (carryBytes > 0) {
      if (chunk.indexOf(NEWLINE) === -1) {
        carry.push(chunk);
        carryBytes += chunk.length;
        if (carryBytes > MAX_LINE_BYTES) throw tooLong(path, offset);
        continue;
      }
      buffer = Buffer.concat([...carry, chunk]);
      carry = [];
      carryBytes = 0;
    }
    const lines: string[] = [];
    let position = 0;
    for (;;) {
      const newline = buffer.indexOf(NEWLINE, position);
      if (newline === -1) break;
      const lineEnd = newline > position && buffer[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
      lines.push(buffer.toString("utf8", position, lineEnd));
      position = newline + 1;
    }
    offset += position;
    if (position < buffer.length) {
      carry = [buffer.subarray(position)];
      carryBytes = buffer.length - position;
      if (carryBytes > MAX_LINE_BYTES) throw tooLong(path, offset);
    }
    if (lines.length > 0) yield { lines, endOffset: offset };
  }
  if (carryBytes > 0) {
    const text = Buffer.concat(carry).toString("utf8");
    yield { lines: [], endOffset: offset, tail: { text, endOffset: offset + carryBytes } };
  }
}

function tooLong(path: string, offset: number) {
  return configError(`${path}: the line at byte ${offset} is longer than ${MAX_LINE_BYTES} bytes.`);
}
