// A bounded cache of values derived from short texts (fakes, date offsets): names, cities and
// the ids of a child table repeat, and a repeat costs a Map lookup instead of an HMAC. When
// full it is dropped whole, which is cheaper than tracking recency. Unique values (emails,
// primary keys) would only fill it with entries that live long enough to be promoted by the
// garbage collector and then die, which costs more than it saves: a generation that hit less
// than a fifth of the time turns caching off for a while, then it is tried again.

const LIMIT = 4096;
const LONGEST_KEY = 256;
const PAUSE = 16 * LIMIT;

/** Example: `const cache = new ValueCache<string>(); cache.get(k) ?? cache.set(k, make(k))`. */
export class ValueCache<V> {
  readonly #entries = new Map<string, V>();
  #hits = 0;
  #paused = 0;

  get(key: string): V | undefined {
    if (this.#paused > 0) {
      this.#paused--;
      return undefined;
    }
    const value = this.#entries.get(key);
    if (value !== undefined) this.#hits++;
    return value;
  }

  /** Keeps a value (unless caching is paused or the key is long) and returns it. */
  set(key: string, value: V): V {
    if (this.#paused > 0 || key.length > LONGEST_KEY) return value;
    if (this.#entries.size >= LIMIT) {
      const lookups = this.#hits + LIMIT;
      if (this.#hits * 5 < lookups) this.#paused = PAUSE;
      this.#entries.clear();
      this.#hits = 0;
      if (this.#paused > 0) return value;
    }
    this.#entries.set(key, value);
    return value;
  }
}
