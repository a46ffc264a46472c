import { formatTimestamp, parseTimestamp } from "./timestamps.js";

/**
 * A stream's state, e.g. `{ "updated_at": "2024-05-01T10:00:00.123+00:00", "id": 1000, "seed": 42 }`
 * (purchases count users: `user_id` instead of `id`). `updated_at` is the cursor: the latest
 * `updated_at` delivered. The id is the high-water mark of generated entities: anything above
 * it is new. Airbyte's own faker state (`{ "id": 1000, "seed": 42 }`) reads as a state with no
 * cursor.
 */
export interface FakerStreamState {
  readonly cursorMs: number | undefined;
  readonly highWater: number | undefined;
  readonly seed: number | undefined;
}

export type HighWaterKey = "id" | "user_id";

export type StateReading =
  | { readonly kind: "none" }
  | { readonly kind: "state"; readonly state: FakerStreamState }
  | { readonly kind: "unrecognised"; readonly reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0;

/** Example: `readFakerState({ updated_at: "2024-01-01T00:00:00+00:00", id: 10 }, "id")`. */
export function readFakerState(raw: unknown, highWaterKey: HighWaterKey): StateReading {
  if (raw === undefined || raw === null) return { kind: "none" };
  if (!isRecord(raw)) return { kind: "unrecognised", reason: "it is not a JSON object" };
  if (Object.keys(raw).length === 0) return { kind: "none" };
  const cursorMs = raw.updated_at === undefined ? undefined : parseTimestamp(raw.updated_at);
  if (raw.updated_at !== undefined && cursorMs === undefined) {
    return { kind: "unrecognised", reason: "updated_at is not an RFC 3339 timestamp" };
  }
  const highWaterRaw = raw[highWaterKey];
  if (highWaterRaw !== undefined && !isCount(highWaterRaw)) {
    return { kind: "unrecognised", reason: `${highWaterKey} is not a non-negative integer` };
  }
  if (cursorMs === undefined && highWaterRaw === undefined) {
    return { kind: "unrecognised", reason: `it has neither updated_at nor ${highWaterKey}` };
  }
  const seed = typeof raw.seed === "number" && Number.isInteger(raw.seed) ? raw.seed : undefined;
  return { kind: "state", state: { cursorMs, highWater: highWaterRaw, seed } };
}

/** The state blob to emit. Example: `writeFakerState("id", 1.7e12, 1000, 42)`. */
export function writeFakerState(
  highWaterKey: HighWaterKey,
  cursorMs: number,
  highWater: number,
  seed: number | undefined,
): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  if (Number.isFinite(cursorMs)) state.updated_at = formatTimestamp(cursorMs);
  state[highWaterKey] = highWater;
  if (seed !== undefined) state.seed = seed;
  return state;
}
