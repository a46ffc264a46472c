import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { MapperConfig } from "@weir/mappers";
import type { CatalogColumn } from "./catalog-types.js";
import { MaskingError } from "./copy-text-rows-masker.js";

/** What a worker needs to compile a table's mappers itself (mappers are plain JSON). */
export interface MaskingSpec {
  readonly key: string;
  readonly table: { readonly schema: string; readonly name: string };
  /** The COPY columns, in order. */
  readonly columns: readonly CatalogColumn[];
  readonly mappers: readonly MapperConfig[];
  readonly baseDirectory: string | undefined;
  /** The COPY format the table's rows come in. */
  readonly format: "text" | "binary";
}

/** A worker's answer to one batch. */
export type MaskingReply =
  | { readonly id: number; readonly ok: true; readonly data: ArrayBuffer; readonly length: number }
  | {
      readonly id: number;
      readonly ok: false;
      readonly message: string;
      readonly failureType: "config_error" | "system_error";
    };

/** A worker and the tables whose mappers it has compiled. */
interface WorkerSlot {
  readonly worker: Worker;
  readonly known: Set<string>;
}

// Tests run the TypeScript sources, where no worker file exists: the worker always comes from
// the compiled package (so a build must precede them, as `npm test` does).
const WORKER_URL = import.meta.url.endsWith(".ts")
  ? new URL("../dist/masking-worker.js", import.meta.url)
  : new URL("./masking-worker.js", import.meta.url);

/**
 * Worker threads that mask batches of COPY rows, so that masking a big table uses every core
 * rather than the one thread that also drives all the COPY streams. Each worker compiles a
 * table's mappers the first time it sees the table; batches go round-robin, and the buffers
 * move between threads without being copied.
 * Example: `const pool = new MaskingThreadPool(); const out = await pool.mask(spec, rows); await pool.close()`.
 */
export class MaskingThreadPool {
  readonly #workers: WorkerSlot[] = [];
  readonly #waiting = new Map<number, { resolve: (data: Buffer) => void; reject: (error: Error) => void }>();
  #next = 0;
  #id = 0;
  #failure: Error | undefined;

  /**
   * One worker per core but one (the main thread drives the COPY streams, and Postgres wants
   * cores too), at most two: each costs ~50 MB, and the clone stays within 300 MB.
   */
  constructor(size = Math.max(1, Math.min(2, availableParallelism() - 1))) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_URL);
      worker.on("message", (reply: MaskingReply) => this.#answer(reply));
      worker.on("error", (error) => this.#fail(error));
      this.#workers.push({ worker, known: new Set() });
    }
  }

  /** The number of batches worth keeping in flight per stream. */
  get size(): number {
    return this.#workers.length;
  }

  /** Masks a buffer of complete rows of the spec's table. */
  mask(spec: MaskingSpec, rows: Buffer): Promise<Buffer> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const slot = this.#workers[this.#next++ % this.#workers.length] as WorkerSlot;
    const id = this.#id++;
    // A batch is a view into a bigger buffer: the worker gets a copy of just its bytes, to own.
    const own = new Uint8Array(rows.length);
    own.set(rows);
    const first = !slot.known.has(spec.key);
    slot.known.add(spec.key);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ id, spec: first ? spec : undefined, key: spec.key, data: own.buffer }, [
        own.buffer,
      ]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map(({ worker }) => worker.terminate()));
    this.#workers.length = 0;
  }

  #answer(reply: MaskingReply): void {
    const waiter = this.#waiting.get(reply.id);
    if (waiter === undefined) return;
    this.#waiting.delete(reply.id);
    if (reply.ok) waiter.resolve(Buffer.from(reply.data, 0, reply.length));
    else waiter.reject(new MaskingError(reply.message, reply.failureType));
  }

  #fail(error: Error): void {
    this.#failure = error;
    for (const waiter of this.#waiting.values()) waiter.reject(error);
    this.#waiting.clear();
  }
}
