import type { Connection } from "mysql2";

/**
 * Streams a query's rows (as arrays) in batches of `batchRows`, holding at most a few batches:
 * when the consumer falls behind, the socket is paused, so memory does not grow with the table.
 * A consumer that stops early must destroy the connection (the server is still sending rows).
 * Example: `for await (const rows of queryBatches(connection, "SELECT id FROM t", 2000)) …`
 */
export async function* queryBatches(
  connection: Connection,
  sql: string,
  batchRows: number,
): AsyncGenerator<unknown[][]> {
  const ready: unknown[][][] = [];
  let batch: unknown[][] = [];
  let ended = false;
  let failure: unknown;
  let paused = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const query = connection.query({ sql, rowsAsArray: true });
  query.on("result", (row: unknown) => {
    batch.push(row as unknown[]);
    if (batch.length < batchRows) return;
    ready.push(batch);
    batch = [];
    if (ready.length >= 2 && !paused) {
      paused = true;
      connection.pause();
    }
    notify();
  });
  query.on("error", (error: unknown) => {
    failure ??= error;
    notify();
  });
  query.on("end", () => {
    if (batch.length > 0) ready.push(batch);
    batch = [];
    ended = true;
    notify();
  });
  for (;;) {
    const next = ready.shift();
    if (next !== undefined) {
      if (paused && ready.length === 0) {
        paused = false;
        connection.resume();
      }
      yield next;
      continue;
    }
    if (failure !== undefined) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}
