import type { AirbyteMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { MessageQueue } from "./message-queue.js";

const batch = (id: number): AirbyteMessage[] => [
  { type: "RECORD", record: { stream: "s", data: { id }, emitted_at: 0 } },
];

describe("MessageQueue", () => {
  it("makes the producer wait once the batch limit is reached, and resumes it as the consumer reads", async () => {
    const queue = new MessageQueue({ maxBatches: 2 });
    expect(await queue.push(batch(1))).toBe(true);
    let third = false;
    const second = queue.push(batch(2)).then((more) => {
      third = more;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(third).toBe(false);
    expect(queue.size).toBe(2);
    const iterator = queue[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual(batch(1));
    await second;
    expect(third).toBe(true);
  });

  it("bounds by bytes too, but always takes a batch bigger than the limit", async () => {
    const queue = new MessageQueue({ maxBatches: 100, maxBytes: 1000 });
    let resolved = false;
    const push = queue.push(batch(1), 5000).then(() => {
      resolved = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(resolved).toBe(false);
    expect(queue.size).toBe(1);
    await queue.next();
    await push;
    expect(resolved).toBe(true);
  });

  it("delivers what is queued after close, then ends; consumedToEnd tells it was all read", async () => {
    const queue = new MessageQueue();
    await queue.push(batch(1));
    await queue.push(batch(2));
    queue.close();
    expect(await queue.push(batch(3))).toBe(false);
    const seen: unknown[] = [];
    for await (const b of queue) seen.push(b);
    expect(seen).toEqual([batch(1), batch(2)]);
    expect(queue.consumedToEnd).toBe(true);
  });

  it("hands a batch straight to a waiting consumer, and ends a waiting consumer on close", async () => {
    const queue = new MessageQueue();
    const first = queue.next();
    await queue.push(batch(1));
    expect(await first).toEqual({ done: false, value: batch(1) });
    const second = queue.next();
    queue.close();
    expect(await second).toEqual({ done: true, value: undefined });
  });

  it("when the consumer leaves early, drops what is queued and refuses more without waiting", async () => {
    const queue = new MessageQueue({ maxBatches: 2 });
    await queue.push(batch(1));
    const blocked = queue.push(batch(2));
    await queue[Symbol.asyncIterator]().return?.();
    expect(await blocked).toBe(false);
    expect(await queue.push(batch(3))).toBe(false);
    expect(queue.abandoned).toBe(true);
    expect(queue.consumedToEnd).toBe(false);
    expect(queue.size).toBe(0);
  });

  it("calls onTake for every batch taken", async () => {
    let taken = 0;
    const queue = new MessageQueue({ onTake: () => taken++ });
    const waiting = queue.next();
    await queue.push(batch(1));
    await waiting;
    await queue.push(batch(2));
    await queue.next();
    expect(taken).toBe(2);
  });
});
