import { describe, expect, it } from "vitest";
import { CopyBinaryParser } from "./copy-binary-parser.js";

// A binary COPY stream of rows whose fields are Buffers or null.
function copyStream(rows: readonly (readonly (Buffer | null)[])[]): Buffer {
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const field of row) {
      const size = Buffer.alloc(4);
      size.writeInt32BE(field === null ? -1 : field.length);
      parts.push(size);
      if (field !== null) parts.push(field);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function parse(chunks: readonly Buffer[], fields: number): (string | null)[][] {
  const parser = new CopyBinaryParser(fields);
  const rows: (string | null)[][] = [];
  for (const chunk of chunks) {
    parser.push(chunk, (bufs, starts, ends) => {
      rows.push(
        Array.from(starts, (s, i) => (s < 0 ? null : (bufs[i] as Buffer).toString("utf8", s, ends[i]))),
      );
    });
  }
  parser.end();
  return rows;
}

describe("CopyBinaryParser", () => {
  const rows = [
    [Buffer.from("1"), Buffer.from("héllo")],
    [null, Buffer.from("")],
    [Buffer.from("3"), Buffer.from("tab\there")],
  ];
  const stream = copyStream(rows);
  const expected = [
    ["1", "héllo"],
    [null, ""],
    ["3", "tab\there"],
  ];

  it("parses a stream in one chunk", () => {
    expect(parse([stream], 2)).toEqual(expected);
  });

  it("parses the same rows split at every byte", () => {
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse([stream.subarray(0, cut), stream.subarray(cut)], 2)).toEqual(expected);
    }
    expect(
      parse(
        [...stream].map((byte) => Buffer.from([byte])),
        2,
      ),
    ).toEqual(expected);
  });

  it("gathers fields larger than many chunks, next to small ones", () => {
    const big = Buffer.alloc(3_000_000, 97);
    const data = copyStream([
      [Buffer.from("x"), big, big],
      [Buffer.from("y"), null, Buffer.from("z")],
    ]);
    for (const size of [65_536, 1_000_003]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < data.length; at += size) chunks.push(data.subarray(at, at + size));
      const rows = parse(chunks, 3);
      expect(rows.map((row) => row.map((field) => field?.length ?? null))).toEqual([
        [1, 3_000_000, 3_000_000],
        [1, null, 1],
      ]);
    }
  });

  it("fails on a wrong field count and on a stream cut off mid-row", () => {
    expect(() => parse([stream], 3)).toThrow(/expected 3/);
    expect(() => parse([stream.subarray(0, stream.length - 5)], 2)).toThrow(/middle of a row/);
  });
});
