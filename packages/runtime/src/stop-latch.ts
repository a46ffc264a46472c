/** What `StopLatch.race` returns when the latch opened first. */
export const STOPPED: unique symbol = Symbol("stopped");

/**
 * A one-way "stop" that pending waits can race against. Unlike `Promise.race` with a promise
 * that stays pending for the whole run, a race here leaves nothing behind once it settles:
 * racing every batch against a long-lived promise would keep every batch reachable from it.
 * Example: `const next = await latch.race(iterator.next()); if (next === STOPPED) …`
 */
export class StopLatch {
  #opened = false;
  readonly #waiters = new Set<() => void>();

  get opened(): boolean {
    return this.#opened;
  }

  open(): void {
    if (this.#opened) return;
    this.#opened = true;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /** The promise's outcome, or STOPPED as soon as the latch opens (the promise is then left to itself). */
  race<T>(promise: Promise<T>): Promise<T | typeof STOPPED> {
    if (this.#opened) return Promise.resolve(STOPPED);
    return new Promise((resolve, reject) => {
      const stop = () => resolve(STOPPED);
      this.#waiters.add(stop);
      promise.then(
        (value) => {
          this.#waiters.delete(stop);
          resolve(value);
        },
        (error: unknown) => {
          this.#waiters.delete(stop);
          reject(error);
        },
      );
    });
  }
}
