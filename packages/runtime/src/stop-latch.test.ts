import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { STOPPED, StopLatch } from "./stop-latch.js";

// A real collection, to prove a settled race leaves nothing reachable from the latch.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

describe("StopLatch", () => {
  it("returns the promise's value, or STOPPED once opened", async () => {
    const latch = new StopLatch();
    expect(await latch.race(Promise.resolve(7))).toBe(7);
    await expect(latch.race(Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const pending = latch.race(new Promise(() => undefined));
    latch.open();
    expect(await pending).toBe(STOPPED);
    expect(await latch.race(Promise.resolve(1))).toBe(STOPPED);
    expect(latch.opened).toBe(true);
  });

  it("keeps no settled value reachable, unlike Promise.race against a pending promise", async () => {
    const latch = new StopLatch();
    const forever = new Promise<never>(() => undefined);
    const viaLatch = await (async () => new WeakRef(await latch.race(Promise.resolve({ big: "batch" }))))();
    const viaRace = await (async () =>
      new WeakRef(await Promise.race([Promise.resolve({ big: "batch" }), forever])))();
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(viaLatch.deref()).toBeUndefined();
    // The baseline shows the test can fail: Promise.race keeps its result alive from `forever`.
    expect(viaRace.deref()).toBeDefined();
  });
});
