import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { MapperConfig } from "@weir/mappers";
import { describe, expect, it } from "vitest";
import type { CatalogColumn } from "./catalog-types.js";
import { CopyBinaryRowsMasker } from "./copy-binary-rows-masker.js";
import { CopyRowMasker } from "./copy-row-masker.js";
import { compileTableMasking } from "./table-masking.js";

const column = (name: string, baseType: string, typeOid: number): CatalogColumn => ({
  name,
  attnum: 1,
  type: baseType,
  typeOid,
  baseType,
  baseTypeOid: typeOid,
  category: baseType === "int4" ? "N" : "S",
  notNull: false,
  defaultExpression: undefined,
  identity: "",
  generated: "",
  generationExpression: undefined,
  collation: undefined,
  comment: undefined,
});
const columns = [column("id", "int4", 23), column("email", "text", 25), column("note", "text", 25)];

/** A binary COPY stream of (int4, text, text) rows; null for NULL. */
function binaryCopy(rows: readonly (readonly [number, string | null, string | null])[]): Buffer {
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
  for (const [id, email, note] of rows) {
    const head = Buffer.alloc(10);
    head.writeInt16BE(3, 0);
    head.writeInt32BE(4, 2);
    head.writeInt32BE(id, 6);
    parts.push(head);
    for (const text of [email, note]) {
      const length = Buffer.alloc(4);
      const bytes = text === null ? Buffer.alloc(0) : Buffer.from(text);
      length.writeInt32BE(text === null ? -1 : bytes.length);
      parts.push(length, bytes);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

async function mask(input: Buffer, mappers: MapperConfig[], chunkSize: number): Promise<Buffer> {
  const compiled = compileTableMasking({ schema: "public", name: "t" }, columns, mappers, undefined);
  if (!compiled.ok) throw new Error(compiled.message);
  expect(compiled.value.spec.format).toBe("binary");
  const masker = new CopyBinaryRowsMasker(compiled.value, columns, "public.t");
  const chunks: Buffer[] = [];
  for (let at = 0; at < input.length; at += chunkSize) chunks.push(input.subarray(at, at + chunkSize));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    new CopyRowMasker((rows) => masker.mask(rows, rows.length), "public.t", "binary"),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

describe("CopyBinaryRowsMasker", () => {
  const big = "x".repeat(300_000);
  const rows: [number, string | null, string | null][] = [
    [1, "alice@example.com", "tab\there, 🦄"],
    [2, null, ""],
    [3, "bob@example.com", big],
    ...Array.from({ length: 2000 }, (_, i): [number, string, string] => [
      i + 4,
      `u${i}@example.com`,
      `n${i}`,
    ]),
  ];

  it("masks fields in place and keeps header, other fields and end marker, whatever the chunks", async () => {
    const mappers: MapperConfig[] = [{ type: "mask", field: "email", keep_first: 1 }];
    const masked = rows.map(([id, email, note]): [number, string | null, string | null] => [
      id,
      email === null ? null : `${email[0]}${"*".repeat(email.length - 1)}`,
      note,
    ]);
    const expected = binaryCopy(masked);
    for (const size of [1, 5, 4096, 1 << 20]) {
      expect((await mask(binaryCopy(rows), mappers, size)).equals(expected), `chunks of ${size}`).toBe(true);
    }
  });

  it("writes NULL and changes of length", async () => {
    const out = await mask(
      binaryCopy([[1, "a@b.c", "keep"]]),
      [
        { type: "nullify", field: "email" },
        { type: "redact", field: "note", value: "much longer text" },
      ],
      3,
    );
    expect(out.equals(binaryCopy([[1, null, "much longer text"]]))).toBe(true);
  });

  it("fails on a stream cut inside a row", async () => {
    const cut = binaryCopy(rows.slice(0, 3)).subarray(0, 60);
    await expect(mask(cut, [{ type: "nullify", field: "email" }], 7)).rejects.toThrow(/ended inside a row/);
  });
});
