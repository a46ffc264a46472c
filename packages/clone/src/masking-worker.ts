import { parentPort } from "node:worker_threads";
import { CopyBinaryRowsMasker } from "./copy-binary-rows-masker.js";
import { CopyTextRowsMasker, MaskingError } from "./copy-text-rows-masker.js";
import type { MaskingReply, MaskingSpec } from "./masking-thread-pool.js";
import { compileTableMasking } from "./table-masking.js";

// A masking worker: compiles each table's mappers on its first batch, then masks batches of
// COPY rows and hands the result back (the buffer moves, it is not copied).

type RowsMasker = CopyTextRowsMasker | CopyBinaryRowsMasker;
const maskers = new Map<string, RowsMasker | MaskingError>();

function maskerFor(spec: MaskingSpec): RowsMasker | MaskingError {
  const compiled = compileTableMasking(spec.table, spec.columns, spec.mappers, spec.baseDirectory);
  if (!compiled.ok) return new MaskingError(compiled.message, "config_error");
  const table = `${spec.table.schema}.${spec.table.name}`;
  return spec.format === "binary"
    ? new CopyBinaryRowsMasker(compiled.value, spec.columns, table)
    : new CopyTextRowsMasker(compiled.value, spec.columns.length, table);
}

parentPort?.on(
  "message",
  async (message: { id: number; key: string; spec: MaskingSpec | undefined; data: ArrayBuffer }) => {
    const { id, key, spec, data } = message;
    let reply: MaskingReply;
    try {
      if (spec !== undefined && !maskers.has(key)) {
        const made = maskerFor(spec);
        if (!(made instanceof MaskingError)) {
          const ready = await made.ready();
          maskers.set(key, ready.ok ? made : new MaskingError(ready.failure.message, "config_error"));
        } else maskers.set(key, made);
      }
      const masker = maskers.get(key);
      if (masker === undefined) throw new MaskingError(`no mappers for ${key}`, "system_error");
      if (masker instanceof MaskingError) throw masker;
      const rows = Buffer.from(data);
      const out = await masker.mask(rows, rows.length);
      // The answer owns its bytes: a view into a bigger buffer is copied out first.
      // (Never a Buffer of Node's shared pool: new Uint8Array allocates its own.)
      const own =
        out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out);
      reply = { id, ok: true, data: own.buffer as ArrayBuffer, length: own.length };
      parentPort?.postMessage(reply, [own.buffer as ArrayBuffer]);
      return;
    } catch (error) {
      const failureType = error instanceof MaskingError ? error.failureType : "system_error";
      reply = { id, ok: false, message: error instanceof Error ? error.message : String(error), failureType };
    }
    parentPort?.postMessage(reply);
  },
);
