import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { qualifiedName, quoteIdentifier } from "@weir/postgres-connection";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { CopyBinaryRowsMasker } from "./copy-binary-rows-masker.js";
import { rowCounter } from "./copy-row-counter.js";
import { CopyRowMasker } from "./copy-row-masker.js";
import { CopyTextRowsMasker } from "./copy-text-rows-masker.js";
import type { MaskingThreadPool } from "./masking-thread-pool.js";
import type { TableMasking } from "./table-masking.js";

/** One COPY of a table, or of a part of it, from the source into the destination. */
export interface CopyJob {
  readonly schema: string;
  readonly name: string;
  /** The columns copied (stored generated columns are computed by the destination). */
  readonly columns: readonly string[];
  /** A condition on alias `t` choosing the rows (a key range, kept keys), or undefined for all. */
  readonly condition: string | undefined;
  /** The only COPY into the table: it may empty the table and load it frozen in one transaction. */
  readonly whole: boolean;
  /** Selects the subset's kept keys, which only the planning session can read. */
  readonly readsKeptKeys: boolean;
  /** `binary` when nothing is masked and every column's binary form means the same in both databases. */
  readonly format: "text" | "binary";
  readonly masking: TableMasking | undefined;
}

// Types below this OID are built into Postgres: the same OID and binary form in every database.
const FIRST_USER_OID = 16_384;

/**
 * Whether a column can go through binary COPY: a built-in type (arrays of built-ins too), or an
 * enum or a domain over one of those. A user-defined array, composite or extension type carries
 * its OID (different in the destination) or may have no binary form: those go as text.
 * Example: `binarySafe(column) // true for numeric[]`.
 */
export function binarySafe(column: {
  readonly typeOid: number;
  readonly baseTypeOid: number;
  readonly category: string;
}): boolean {
  return (
    column.baseTypeOid < FIRST_USER_OID || (column.category === "E" && column.baseTypeOid >= FIRST_USER_OID)
  );
}

/** The source side's COPY statement. Example: `COPY "public"."users" ("id", "email") TO STDOUT`. */
export function copyOutStatement(job: CopyJob): string {
  const table = qualifiedName(job.schema, job.name);
  const columns = job.columns.map(quoteIdentifier).join(", ");
  const format = job.format === "binary" ? " WITH (FORMAT binary)" : "";
  if (job.condition === undefined) return `COPY ${table} (${columns}) TO STDOUT${format}`;
  const selected = job.columns.map((c) => `t.${quoteIdentifier(c)}`).join(", ");
  return `COPY (SELECT ${selected} FROM ${table} t WHERE ${job.condition}) TO STDOUT${format}`;
}

/**
 * Streams one job's rows: COPY TO STDOUT on the source, through the masker when the table has
 * mappers (raw bytes otherwise), into COPY FROM STDIN on the destination, with backpressure
 * all the way. A whole-table COPY runs as `TRUNCATE; COPY … (FREEZE)` in one transaction, so
 * the rows land frozen and later index builds and ANALYZE do not rewrite every page.
 * `onData` sees every chunk's bytes and rows as they go. Resolves to the rows written.
 */
export async function copyTableData(
  source: pg.Client,
  target: pg.Client,
  job: CopyJob,
  onData: (bytes: number, rows: number) => void,
  pool?: MaskingThreadPool,
): Promise<number> {
  const table = qualifiedName(job.schema, job.name);
  const columns = job.columns.map(quoteIdentifier).join(", ");
  if (job.whole) {
    await target.query("BEGIN");
    await target.query(`TRUNCATE ${table}`);
  }
  const options = [...(job.whole ? ["FREEZE"] : []), ...(job.format === "binary" ? ["FORMAT binary"] : [])];
  const into = target.query(
    copyFrom(
      `COPY ${table} (${columns}) FROM STDIN${options.length > 0 ? ` WITH (${options.join(", ")})` : ""}`,
    ),
  );
  const out: Readable = source.query(copyTo(copyOutStatement(job)));
  // Which side failed first: the other side's error is only the pipe breaking.
  let side: "source" | "destination" | undefined;
  out.once("error", () => {
    side ??= "source";
  });
  into.once("error", () => {
    side ??= "destination";
  });
  const count = rowCounter(job.format);
  out.on("data", (chunk: Buffer) => onData(chunk.length, count(chunk)));
  try {
    if (job.masking === undefined) await pipeline(out, into);
    else await pipeline(out, rowMasker(job, job.masking, pool), into);
    if (job.whole) await target.query("COMMIT");
  } catch (error) {
    throw new CopyError(side ?? "destination", error);
  }
  return into.rowCount;
}

function rowMasker(job: CopyJob, masking: TableMasking, pool: MaskingThreadPool | undefined): CopyRowMasker {
  const table = `${job.schema}.${job.name}`;
  const format = masking.spec.format;
  // Two batches per worker keep every worker busy while the last one's result goes out.
  if (pool !== undefined) {
    return new CopyRowMasker((rows) => pool.mask(masking.spec, rows), table, format, pool.size * 2);
  }
  const local =
    format === "binary"
      ? new CopyBinaryRowsMasker(masking, masking.spec.columns, table)
      : new CopyTextRowsMasker(masking, job.columns.length, table);
  return new CopyRowMasker((rows) => local.mask(rows, rows.length), table, format);
}

/** A failed COPY, with the side that failed first. */
export class CopyError extends Error {
  constructor(
    readonly side: "source" | "destination",
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
