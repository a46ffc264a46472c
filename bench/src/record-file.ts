import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** Bytes of filler that bring one RECORD line to about 500 bytes, like a typical table row. */
const FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit ".repeat(5).slice(0, 250);

/**
 * Writes `count` RECORD lines of ~500 bytes (and a STATE every `stateEvery`), the input every
 * pipe benchmark reads. Example: `await writeRecordFile("/tmp/r.jsonl", 100_000)`.
 */
export async function writeRecordFile(path: string, count: number, stateEvery = 10_000): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = "";
  for (let i = 1; i <= count; i++) {
    const data = {
      id: i,
      name: `user-${i}`,
      email: `user${i}@example.com`,
      created_at: "2024-05-01T12:34:56.000Z",
      score: i * 0.25,
      active: i % 3 === 0,
      note: FILLER,
    };
    chunk += `${JSON.stringify({ type: "RECORD", record: { stream: "rows", data, emitted_at: 1714567890000 } })}\n`;
    if (i % stateEvery === 0 || i === count) {
      chunk += `${JSON.stringify({
        type: "STATE",
        state: { type: "STREAM", stream: { stream_descriptor: { name: "rows" }, stream_state: { id: i } } },
      })}\n`;
    }
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, "finish");
  return bytes;
}
