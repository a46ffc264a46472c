/** What `abortableNext` returns when the signal fired first. */
export const ABORTED: unique symbol = Symbol("aborted");

/**
 * The iterator's next result, or ABORTED as soon as the signal fires, whichever comes first: a
 * cancelled run must not wait for a slow query or a silent stdin.
 */
export function abortableNext<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal,
): Promise<IteratorResult<T> | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener("abort", onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Lets an iterator clean up. After an abort its `next()` may still be pending, and an async
 * generator's `return()` waits for it, so the cleanup is then not awaited.
 */
export async function releaseIterator(iterator: AsyncIterator<unknown>, aborted: boolean): Promise<void> {
  const done = iterator.return?.();
  if (done === undefined) return;
  if (aborted) {
    done.catch(() => {});
    return;
  }
  try {
    await done;
  } catch {
    // The run already has its outcome; a failing cleanup must not replace it.
  }
}
