import { describe, expect, it } from "vitest";
import { ValueCache } from "./value-cache.js";

describe("ValueCache", () => {
  it("serves repeats, and keeps caching while they come", () => {
    const cache = new ValueCache<number>();
    expect(cache.get("a")).toBeUndefined();
    expect(cache.set("a", 1)).toBe(1);
    expect(cache.get("a")).toBe(1);
    // Repeats hit often enough that the cache stays on through many generations.
    for (let i = 0; i < 50_000; i++) {
      const key = `k${i % 1000}`;
      if (cache.get(key) === undefined) cache.set(key, i);
    }
    cache.set("b", 2);
    expect(cache.get("b")).toBe(2);
  });

  it("pauses when values do not repeat, then tries again", () => {
    const cache = new ValueCache<number>();
    for (let i = 0; i <= 4096; i++) cache.set(`unique ${i}`, i);
    cache.set("x", 1);
    expect(cache.get("x")).toBeUndefined();
    for (let i = 0; i < 16 * 4096; i++) cache.get("y");
    cache.set("x", 1);
    expect(cache.get("x")).toBe(1);
  });

  it("keeps no long keys", () => {
    const cache = new ValueCache<number>();
    const long = "x".repeat(300);
    cache.set(long, 1);
    expect(cache.get(long)).toBeUndefined();
  });
});
