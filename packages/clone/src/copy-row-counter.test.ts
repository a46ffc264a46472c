import { describe, expect, it } from "vitest";
import { rowCounter } from "./copy-row-counter.js";

/** A binary COPY stream: header, rows of fields (null for NULL), trailer. */
function binaryCopy(rows: readonly (readonly (Buffer | null)[])[]): Buffer {
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const field of row) {
      const length = Buffer.alloc(4);
      length.writeInt32BE(field === null ? -1 : field.length);
      parts.push(length);
      if (field !== null) parts.push(field);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function countInChunks(format: "text" | "binary", data: Buffer, size: number): number {
  const count = rowCounter(format);
  let rows = 0;
  for (let at = 0; at < data.length; at += size) rows += count(data.subarray(at, at + size));
  return rows;
}

describe("rowCounter", () => {
  it("counts text rows by their newlines, whatever the chunks", () => {
    const data = Buffer.from("1\ta\n2\tb\\nc\n3\t\\N\n");
    for (const size of [1, 2, 5, 100]) expect(countInChunks("text", data, size)).toBe(3);
  });

  it("walks binary rows by their field lengths, across any chunk boundary", () => {
    const rows = [
      [Buffer.from([0, 0, 0, 1]), Buffer.from("hello\n\n\n")],
      [Buffer.from([0, 0, 0, 2]), null],
      [Buffer.alloc(70_000, 10), Buffer.from("")],
      [],
    ];
    const data = binaryCopy(rows);
    expect(data.length).toBeGreaterThan(70_000);
    for (const size of [1, 3, 7, 4096, data.length]) expect(countInChunks("binary", data, size)).toBe(4);
  });
});
