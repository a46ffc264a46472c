import type { AirbyteMessage } from "@weir/protocol";

/** How often a `write` run flushes, e.g. `{ flushIntervalMs: 1000, flushEveryRecords: 50_000 }`. */
export interface FlushSettings {
  /** A flush is due once this long has passed since the last one (0: at every input batch with a state). */
  readonly flushIntervalMs: number;
  /** A flush is due once this many records were written since the last one. */
  readonly flushEveryRecords: number;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 1000;
export const DEFAULT_FLUSH_EVERY_RECORDS = 50_000;

/** What `withinMs` returns when the time ran out first. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

function checkSetting(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/**
 * Decides when a destination flushes. A flush is a durable commit (milliseconds each), and
 * sources checkpoint every few hundred records, so echoes of STATE messages wait here and go
 * out together after one flush: once `flushIntervalMs` passed or `flushEveryRecords` were
 * written since the last flush, or when the input pauses or ends (the runner decides those).
 * Example: `if (policy.due()) { await writer.flush(); out.push(...policy.flushed()); }`
 */
export class FlushPolicy {
  readonly #intervalMs: number;
  readonly #everyRecords: number;
  #awaiting: AirbyteMessage[] = [];
  #writtenSinceFlush = 0;
  #lastFlushAt = performance.now();

  constructor(settings: FlushSettings) {
    this.#intervalMs = checkSetting("flushIntervalMs", settings.flushIntervalMs);
    this.#everyRecords = checkSetting("flushEveryRecords", settings.flushEveryRecords);
  }

  /** Whether some echoes wait for a flush; only then is anything unflushed worth a flush. */
  get awaiting(): boolean {
    return this.#awaiting.length > 0;
  }

  written(count: number): void {
    this.#writtenSinceFlush += count;
  }

  /**
   * The echo when it may go out now (nothing was written since the last flush, so what it
   * confirms is already durable), else undefined: it then waits for the next flush.
   */
  admit(echo: AirbyteMessage): AirbyteMessage | undefined {
    // Echoes keep their order: once one waits, every later one waits behind it.
    if (this.#writtenSinceFlush === 0 && this.#awaiting.length === 0) return echo;
    this.#awaiting.push(echo);
    return undefined;
  }

  /** Whether echoes wait and the interval or the record count says flush now. */
  due(): boolean {
    return (
      this.#awaiting.length > 0 &&
      (this.#writtenSinceFlush >= this.#everyRecords ||
        performance.now() - this.#lastFlushAt >= this.#intervalMs)
    );
  }

  /** How long until the interval since the last flush is over (0 when it already is). */
  remainingMs(): number {
    return Math.max(0, this.#intervalMs - (performance.now() - this.#lastFlushAt));
  }

  /** Call right after a successful flush: the echoes that may now go out, in order. */
  flushed(): AirbyteMessage[] {
    const echoes = this.#awaiting;
    this.#awaiting = [];
    this.#writtenSinceFlush = 0;
    this.#lastFlushAt = performance.now();
    return echoes;
  }
}

/**
 * The promise's outcome, or TIMED_OUT if it has not settled within `ms`. The timer is made for
 * this one wait and cleared after it, so a wait leaves nothing behind once it settles (racing
 * against a promise that lives for the whole run would keep every value raced against it).
 * Example: `const next = await withinMs(pendingNext, 250); if (next === TIMED_OUT) …`
 */
export function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
