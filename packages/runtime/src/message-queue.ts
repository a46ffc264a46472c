import type { AirbyteMessage } from "@weir/protocol";

type Batch = readonly AirbyteMessage[];

/** Limits of a MessageQueue: it holds at most this many batches, or bytes, before producers wait. */
export interface MessageQueueOptions {
  /** Default 16. */
  readonly maxBatches?: number;
  /** Default 16 MiB, as counted by the producers' `push(batch, bytes)`. */
  readonly maxBytes?: number;
  /** Called each time the consumer takes a batch (the sync's heartbeat counts it as activity). */
  readonly onTake?: () => void;
}

const DONE: IteratorResult<Batch> = { done: true, value: undefined };

/**
 * A bounded queue of message batches from producers to one consumer, which reads it as an async
 * iterable. `push` always takes the batch and then waits until there is room again: that wait is
 * the backpressure, and memory stays bounded by the limits whatever the size of a table.
 * `close()` ends the input after what is queued; the consumer's `return()` (or `abandon()`)
 * drops what is queued and makes every later push return false at once.
 * Example: `const q = new MessageQueue(); await q.push(batch); q.close(); for await (const b of q) …`
 */
export class MessageQueue implements AsyncIterable<Batch> {
  readonly #maxBatches: number;
  readonly #maxBytes: number;
  readonly #onTake: (() => void) | undefined;
  #items: { batch: Batch; bytes: number }[] = [];
  #bytes = 0;
  #state: "open" | "closed" | "abandoned" = "open";
  #endedNormally = false;
  #taker: ((result: IteratorResult<Batch>) => void) | undefined;
  #roomWaiters: (() => void)[] = [];

  constructor(options: MessageQueueOptions = {}) {
    this.#maxBatches = Math.max(1, options.maxBatches ?? 16);
    this.#maxBytes = Math.max(1, options.maxBytes ?? 16 * 1024 * 1024);
    this.#onTake = options.onTake;
  }

  /** True once the consumer has read everything up to the end of a closed queue. */
  get consumedToEnd(): boolean {
    return this.#endedNormally;
  }

  /** True once the consumer stopped reading before the end (or `abandon()` was called). */
  get abandoned(): boolean {
    return this.#state === "abandoned";
  }

  /** Batches waiting for the consumer. */
  get size(): number {
    return this.#items.length;
  }

  /**
   * Queues a batch, then waits for room. True: the producer may push more. False: the queue no
   * longer takes batches (closed or abandoned); when it was already so, the batch was dropped.
   */
  push(batch: Batch, bytes = 0): Promise<boolean> {
    if (this.#state !== "open") return Promise.resolve(false);
    const taker = this.#taker;
    if (taker !== undefined) {
      this.#taker = undefined;
      this.#onTake?.();
      taker({ done: false, value: batch });
      return Promise.resolve(true);
    }
    this.#items.push({ batch, bytes });
    this.#bytes += bytes;
    if (this.#hasRoom()) return Promise.resolve(true);
    return new Promise((resolve) => this.#roomWaiters.push(() => resolve(this.#state === "open")));
  }

  /** Ends the input: the consumer reads what is queued, then the end. Idempotent. */
  close(): void {
    if (this.#state !== "open") return;
    this.#state = "closed";
    this.#wakeProducers();
    if (this.#taker !== undefined && this.#items.length === 0) {
      const taker = this.#taker;
      this.#taker = undefined;
      this.#endedNormally = true;
      taker(DONE);
    }
  }

  /** Drops what is queued and refuses further batches: nobody will read them. Idempotent. */
  abandon(): void {
    if (this.#state === "abandoned") return;
    this.#state = "abandoned";
    this.#items = [];
    this.#bytes = 0;
    this.#wakeProducers();
    const taker = this.#taker;
    this.#taker = undefined;
    taker?.(DONE);
  }

  next(): Promise<IteratorResult<Batch>> {
    const item = this.#items.shift();
    if (item !== undefined) {
      this.#bytes -= item.bytes;
      this.#onTake?.();
      if (this.#roomWaiters.length > 0 && this.#hasRoom()) this.#wakeProducers();
      return Promise.resolve({ done: false, value: item.batch });
    }
    if (this.#state === "closed") {
      this.#endedNormally = true;
      return Promise.resolve(DONE);
    }
    if (this.#state === "abandoned") return Promise.resolve(DONE);
    if (this.#taker !== undefined) throw new Error("MessageQueue has one consumer; next() was called twice");
    return new Promise((resolve) => {
      this.#taker = resolve;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Batch> {
    return {
      next: () => this.next(),
      return: () => {
        // A consumer that leaves before the end stops the flow; one that read to the end changes nothing.
        if (!this.#endedNormally) this.abandon();
        return Promise.resolve(DONE);
      },
    };
  }

  #hasRoom(): boolean {
    return this.#items.length < this.#maxBatches && this.#bytes < this.#maxBytes;
  }

  #wakeProducers(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const wake of waiters) wake();
  }
}
