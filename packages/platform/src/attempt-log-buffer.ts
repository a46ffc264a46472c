import type { SyncLogEntry } from "@weir/runtime";
import type { Insertable, Kysely } from "kysely";
import type { AttemptLogsTable, StoreTables } from "./store-tables.js";

/** Attempt log lines wait here and go to the store in batches. Example: `new AttemptLogBuffer(db, attemptId, mask)`. */
export class AttemptLogBuffer {
  readonly #db: Kysely<StoreTables>;
  readonly #attemptId: number;
  readonly #mask: (text: string) => string;
  #rows: Insertable<AttemptLogsTable>[] = [];
  #flushing: Promise<void> = Promise.resolve();

  constructor(db: Kysely<StoreTables>, attemptId: number, mask: (text: string) => string) {
    this.#db = db;
    this.#attemptId = attemptId;
    this.#mask = mask;
  }

  add(entry: SyncLogEntry): void {
    this.#rows.push({
      attempt_id: this.#attemptId,
      at: new Date(entry.at),
      origin: entry.origin,
      level: entry.level,
      message: this.#mask(entry.message),
    });
    if (this.#rows.length >= 200) void this.flush();
  }

  flush(): Promise<void> {
    const rows = this.#rows;
    this.#rows = [];
    if (rows.length > 0) {
      this.#flushing = this.#flushing.then(async () => {
        try {
          await this.#db.insertInto("attempt_logs").values(rows).execute();
        } catch (error) {
          // A lost log batch must not stop the sync; the server's own log says it happened.
          process.stderr.write(`weir: could not store ${rows.length} attempt log lines: ${String(error)}\n`);
        }
      });
    }
    return this.#flushing;
  }
}
