import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { MapperConfig } from "@weir/mappers";
import { describe, expect, it } from "vitest";
import type { CatalogColumn } from "./catalog-types.js";
import { CopyRowMasker } from "./copy-row-masker.js";
import { CopyTextRowsMasker } from "./copy-text-rows-masker.js";
import { MaskingThreadPool } from "./masking-thread-pool.js";
import { compileTableMasking } from "./table-masking.js";

const column = (name: string, baseType: string, category = "S"): CatalogColumn => ({
  name,
  attnum: 1,
  type: baseType,
  typeOid: 25,
  baseType,
  baseTypeOid: 25,
  category,
  notNull: false,
  defaultExpression: undefined,
  identity: "",
  generated: "",
  generationExpression: undefined,
  collation: undefined,
  comment: undefined,
});
const columns = [
  column("id", "int4", "N"),
  column("email", "text"),
  column("note", "text"),
  column("profile", "jsonb", "U"),
];

async function mask(
  input: string,
  mappers: MapperConfig[],
  chunkSize: number,
  pool?: MaskingThreadPool,
): Promise<string> {
  const compiled = compileTableMasking({ schema: "public", name: "t" }, columns, mappers, undefined);
  if (!compiled.ok) throw new Error(compiled.message);
  const local = new CopyTextRowsMasker(compiled.value, columns.length, "public.t");
  const spec = compiled.value.spec;
  const data = Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkSize) chunks.push(data.subarray(at, at + chunkSize));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    pool === undefined
      ? new CopyRowMasker((rows) => local.mask(rows, rows.length), "public.t", "text")
      : new CopyRowMasker((rows) => pool.mask({ ...spec, format: "text" }, rows), "public.t", "text", 4),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out).toString();
}

const rows = [
  '1\talice@example.com\tit\'s "odd"\\ttab\\\\ and \\n newline 🦄\t{"email": "a@x.org", "k": 1}',
  "2\t\\N\t\t\\N",
  "3\tbob@example.com\t\\\\N\t{}",
].join("\n");

describe("CopyRowMasker", () => {
  it("passes unmasked columns through byte for byte and masks the rest, whatever the chunks", async () => {
    const mappers: MapperConfig[] = [
      { type: "mask", field: "email", keep_first: 1 },
      { type: "redact", field: "profile.email", value: "x" },
    ];
    const expected = await mask(`${rows}\n`, mappers, 1 << 20);
    const lines = expected.split("\n");
    expect(lines[0]).toBe(
      '1\ta****************\tit\'s "odd"\\ttab\\\\ and \\n newline 🦄\t{"email":"x","k":1}',
    );
    expect(lines[1]).toBe("2\t\\N\t\t\\N");
    expect(lines[2]).toBe("3\tb**************\t\\\\N\t{}");
    for (const size of [1, 2, 7, 33]) expect(await mask(`${rows}\n`, mappers, size)).toBe(expected);
  });

  it("masks the same in worker threads, in order, across many batches", async () => {
    const pool = new MaskingThreadPool(2);
    try {
      const many = Array.from(
        { length: 30_000 },
        (_, i) => `${i}\tu${i}@example.com\tnote ${i}\t{"email": "e${i}"}`,
      ).join("\n");
      const mappers: MapperConfig[] = [
        { type: "hash", field: "email", key: "k" },
        { type: "hash", field: "profile.email", key: "k" },
      ];
      const here = await mask(`${many}\n`, mappers, 65_536);
      expect(await mask(`${many}\n`, mappers, 65_536, pool)).toBe(here);
      expect(here.split("\n")).toHaveLength(30_001);
      const bad = mask("1\tx\ty\t{}\n", [{ type: "hash", field: "nope", key: "k" }], 10, pool);
      await expect(bad).rejects.toThrow();
    } finally {
      await pool.close();
    }
  });

  it("escapes what a mapper writes", async () => {
    const out = await mask("1\tx\ty\t\\N\n", [{ type: "redact", field: "note", value: "a\tb\\c\nd" }], 4);
    expect(out).toBe("1\tx\ta\\tb\\\\c\\nd\t\\N\n");
  });

  it("fails on a row cut short", async () => {
    await expect(mask("1\tx\ty\t{}\n2\tz", [{ type: "nullify", field: "email" }], 3)).rejects.toThrow(
      /ended inside a row/,
    );
  });

  it("refuses mappers that would remove columns or rows, and output a column cannot hold", () => {
    const refuse = (mapper: MapperConfig) =>
      compileTableMasking({ schema: "public", name: "t" }, columns, [mapper], undefined);
    expect(refuse({ type: "drop", field: "note" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("use nullify"),
    });
    expect(refuse({ type: "filter", where: "id > 1" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("subset"),
    });
    expect(refuse({ type: "hash", field: "id", key: "k" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("integer column"),
    });
    expect(refuse({ type: "hash", field: "emial", key: "k" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("its columns are id, email"),
    });
  });
});
