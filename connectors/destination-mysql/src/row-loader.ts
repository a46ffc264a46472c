import { once } from "node:events";
import { PassThrough } from "node:stream";
import { systemError } from "@weir/cdk";
import type { MysqlSession } from "@weir/mysql-connection";
import type { LoadFormat } from "./row-encoder.js";

/** Where rows of one table go: the LOAD DATA statement (or INSERT head), and a name for messages. */
export interface LoadTarget {
  readonly sql: string;
  readonly describe: string;
}

interface LoadResult {
  readonly warningStatus?: number;
}

/** A LOAD DATA LOCAL INFILE statement under way, reading the rows as they are written to `input`. */
interface OpenLoad {
  readonly target: LoadTarget;
  readonly input: PassThrough;
  readonly done: Promise<LoadResult>;
  bytes: number;
  /** Set when the statement failed before its input ended (the table was dropped, the connection lost). */
  failed: boolean;
}

// One statement is one transaction: a table read with no checkpoint at all (no states, so no
// flush) is still loaded in statements of bounded size.
const MAX_LOAD_BYTES = 256 * 1024 * 1024;

/**
 * Moves encoded rows into MySQL over one session. LOAD DATA rows are streamed into a statement
 * that stays open while more rows come, so the server inserts while the next records are
 * encoded; `finish` ends it and waits for its commit. INSERT tuples go in multi-row statements
 * below max_allowed_packet. Every statement commits on its own (autocommit): what `finish`
 * returns from is durable. Example: `await loader.push(target, chunks); …; await loader.finish()`.
 */
export class RowLoader {
  #open: OpenLoad | undefined;

  constructor(
    private readonly session: MysqlSession,
    readonly format: LoadFormat,
    /** The largest INSERT statement the server takes (max_allowed_packet), with room to spare. */
    private readonly maxStatementBytes: number,
  ) {}

  /** Streams tab-separated rows into the open LOAD DATA of `target` (opening it, or switching to it); waits while the server is behind. */
  async push(target: LoadTarget, chunks: readonly Buffer[]): Promise<void> {
    if (chunks.length === 0) return;
    const open = this.#open;
    if (open !== undefined && (open.failed || open.target !== target || open.bytes >= MAX_LOAD_BYTES)) {
      await this.finish();
    }
    const load = this.#open ?? this.#start(target);
    let room = true;
    for (const chunk of chunks) {
      room = load.input.write(chunk);
      load.bytes += chunk.length;
    }
    if (room) return;
    // A statement that failed stops reading its input: its error must not wait for a drain.
    const settled = load.done.then(
      () => undefined,
      () => undefined,
    );
    await Promise.race([once(load.input, "drain"), settled]);
    if (this.#open === load && load.failed) await this.finish();
  }

  /** Ends the open LOAD DATA and waits for its commit; throws what the server said. */
  async finish(): Promise<void> {
    const load = this.#open;
    if (load === undefined) return;
    this.#open = undefined;
    load.input.end();
    const result = await load.done;
    await this.#refuseWarnings(result, load.target);
  }

  /** Loads INSERT tuples in statements below max_allowed_packet, one after the other. */
  async insert(target: LoadTarget, rows: readonly string[]): Promise<void> {
    let statement = target.sql;
    let count = 0;
    for (const row of rows) {
      if (count > 0 && statement.length + row.length + 1 > this.maxStatementBytes) {
        await this.session.run({ sql: statement });
        statement = target.sql;
        count = 0;
      }
      statement += count === 0 ? row : `,${row}`;
      count++;
    }
    if (count > 0) await this.session.run({ sql: statement });
  }

  #start(target: LoadTarget): OpenLoad {
    const input = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
    const done = this.session.run({
      sql: target.sql,
      infileStreamFactory: () => input,
    }) as Promise<LoadResult>;
    const load: OpenLoad = { target, input, done, bytes: 0, failed: false };
    // The error itself is thrown by `finish`; this marks the load, and keeps the rejection handled meanwhile.
    done.catch(() => {
      load.failed = true;
    });
    this.#open = load;
    return load;
  }

  // LOAD DATA LOCAL turns refusals into warnings and changes or skips the row. The encoders let
  // nothing through that MySQL would refuse; a warning means one of them missed a case.
  async #refuseWarnings(result: LoadResult, target: LoadTarget): Promise<void> {
    if ((result.warningStatus ?? 0) === 0) return;
    const warnings = await this.session.query<{ Level: string; Message: string }>("SHOW WARNINGS LIMIT 5");
    const notes = warnings.filter((w) => w.Level !== "Note");
    if (notes.length === 0) return;
    throw systemError(
      `MySQL changed or skipped values while loading ${target.describe}: ${notes.map((w) => w.Message).join("; ")}. ` +
        "destination-mysql checks every value first, so this is a bug in those checks; please report it with the column's type",
    );
  }
}
