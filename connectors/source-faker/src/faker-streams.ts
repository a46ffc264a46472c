import { randomInt } from "node:crypto";
import type { RecordData, StreamChunk, StreamDefinition, StreamReadContext } from "@weir/cdk";
import { FakeRecordFactory, PRODUCT_COUNT, purchaseCountUpTo, type Stamp } from "./fake-record-factory.js";
import type { FakerConfig } from "./faker-spec.js";
import {
  type FakerStreamState,
  type HighWaterKey,
  readFakerState,
  writeFakerState,
} from "./faker-stream-state.js";
import { productsSchema, purchasesSchema, usersSchema } from "./stream-schemas.js";
import { formatTimestamp, parseTimestamp } from "./timestamps.js";

/** One of the three streams, described by what differs between them. */
interface FakeStreamKind {
  readonly name: string;
  readonly jsonSchema: Record<string, unknown>;
  /** Purchases are counted in users: their state says how many users' purchases were sent. */
  readonly highWaterKey: HighWaterKey;
  /** Products are one fixed catalogue, the same for every seed. */
  readonly seeded: boolean;
  /** Typical size of one record as JSON, for ESTIMATE. */
  readonly bytesPerRecord: number;
  entities(config: FakerConfig): number;
  recordsOf(entities: number): number;
  append(factory: FakeRecordFactory, id: number, out: RecordData[], stamp: Stamp | undefined): void;
}

const usersKind: FakeStreamKind = {
  name: "users",
  jsonSchema: usersSchema,
  highWaterKey: "id",
  seeded: true,
  bytesPerRecord: 420,
  entities: (config) => config.count,
  recordsOf: (entities) => entities,
  append: (factory, id, out, stamp) => {
    out.push(factory.user(id, stamp));
  },
};

const purchasesKind: FakeStreamKind = {
  name: "purchases",
  jsonSchema: purchasesSchema,
  highWaterKey: "user_id",
  seeded: true,
  bytesPerRecord: 250,
  entities: (config) => config.count,
  recordsOf: purchaseCountUpTo,
  append: (factory, id, out, stamp) => factory.purchasesOf(id, out, stamp),
};

const productsKind: FakeStreamKind = {
  name: "products",
  jsonSchema: productsSchema,
  highWaterKey: "id",
  seeded: false,
  bytesPerRecord: 170,
  entities: () => PRODUCT_COUNT,
  recordsOf: (entities) => entities,
  append: (factory, id, out, stamp) => {
    out.push(factory.product(id, stamp));
  },
};

/**
 * What a read emits, from the previous state. Entities above `newAbove` are new and always
 * sent. Those at or below it are sent `all` (always_updated, a new clock), `none` (history is
 * fixed and the cursor already covers it), or after a `check` of each record's updated_at
 * against the cursor (a state that has a cursor but no high-water mark).
 */
interface ReadPlan {
  readonly newAbove: number;
  readonly existing: "all" | "none" | "check";
}

function planRead(previous: FakerStreamState | undefined, stamp: Stamp | undefined): ReadPlan {
  if (previous === undefined) return { newAbove: 0, existing: "none" };
  const { cursorMs, highWater } = previous;
  const clockMoved = stamp !== undefined && (cursorMs === undefined || stamp.ms > cursorMs);
  if (highWater === undefined) {
    return { newAbove: Number.POSITIVE_INFINITY, existing: clockMoved ? "all" : stamp ? "none" : "check" };
  }
  return { newAbove: highWater, existing: clockMoved ? "all" : "none" };
}

/** The clock of one run for `always_updated`: every stream of a sync stamps the same instant. */
class RunClock {
  private stamp: Stamp | undefined;

  now(): Stamp {
    if (this.stamp === undefined) {
      const ms = Date.now();
      this.stamp = { ms, text: formatTimestamp(ms) };
    }
    return this.stamp;
  }
}

/** The seed of one run, shared by its streams: users and purchases must agree. */
class RunSeed {
  private random: number | undefined;
  constructor(private readonly configured: number) {}

  resolve(stateSeed: number | undefined): number {
    if (this.configured !== -1) return this.configured;
    if (stateSeed !== undefined) return stateSeed;
    this.random ??= randomInt(0, 2 ** 31);
    return this.random;
  }
}

function previousState(
  kind: FakeStreamKind,
  ctx: StreamReadContext<FakerConfig>,
  quiet: boolean,
): FakerStreamState | undefined {
  if (ctx.syncMode !== "incremental") return undefined;
  const reading = readFakerState(ctx.state, kind.highWaterKey);
  if (reading.kind === "none") return undefined;
  if (reading.kind === "unrecognised") {
    if (!quiet) {
      ctx.logger.log(
        "WARN",
        `Ignoring the state of stream ${kind.name} (${reading.reason}): emitting every record.`,
      );
    }
    return undefined;
  }
  const configured = ctx.config.seed ?? -1;
  const { seed } = reading.state;
  if (kind.seeded && configured !== -1 && seed !== undefined && seed !== configured) {
    if (!quiet) {
      ctx.logger.log(
        "WARN",
        `Stream ${kind.name}: the seed changed from ${seed} to ${configured}, so every record is different; emitting all of them.`,
      );
    }
    return undefined;
  }
  return reading.state;
}

async function* readStream(
  kind: FakeStreamKind,
  ctx: StreamReadContext<FakerConfig>,
  run: { seed: RunSeed; clock: RunClock },
): AsyncGenerator<StreamChunk> {
  const previous = previousState(kind, ctx, false);
  const seed = kind.seeded ? run.seed.resolve(previous?.seed) : undefined;
  const stamp = (ctx.config.always_updated ?? true) ? run.clock.now() : undefined;
  const plan = planRead(previous, stamp);
  const total = kind.entities(ctx.config);
  const sliceSize = ctx.config.records_per_slice ?? 1000;
  const baseHighWater = previous?.highWater ?? 0;
  const previousCursor = previous?.cursorMs ?? Number.NEGATIVE_INFINITY;
  const factory = await FakeRecordFactory.create(seed ?? 0);

  let cursorMs = previousCursor;
  const stateAt = (entity: number) =>
    writeFakerState(kind.highWaterKey, cursorMs, Math.max(baseHighWater, entity), seed);

  const first = plan.existing === "none" ? plan.newAbove + 1 : 1;
  let sentFinal = false;
  for (let start = first; start <= total; start += sliceSize) {
    const end = Math.min(total, start + sliceSize - 1);
    let records: RecordData[] = [];
    for (let id = start; id <= end; id++) {
      const before = records.length;
      kind.append(factory, id, records, stamp);
      if (records.length === before) continue;
      if (plan.existing === "check" && id <= plan.newAbove) {
        records = keepChanged(records, before, previousCursor);
        for (let i = before; i < records.length; i++) {
          const ms = parseTimestamp((records[i] as RecordData).updated_at) ?? 0;
          if (ms > cursorMs) cursorMs = ms;
        }
      } else if (factory.lastUpdatedAtMs > cursorMs) {
        cursorMs = factory.lastUpdatedAtMs;
      }
    }
    if (records.length > 0) {
      sentFinal = end === total;
      yield { records, state: stateAt(end) };
    }
  }
  if (!sentFinal) yield { records: [], state: stateAt(total) };
}

/** Drops, from index `from` on, the records not updated after the cursor. */
function keepChanged(records: RecordData[], from: number, cursorMs: number): RecordData[] {
  let kept = from;
  for (let i = from; i < records.length; i++) {
    const record = records[i] as RecordData;
    if ((parseTimestamp(record.updated_at) ?? 0) > cursorMs) records[kept++] = record;
  }
  records.length = kept;
  return records;
}

function estimate(
  kind: FakeStreamKind,
  ctx: StreamReadContext<FakerConfig>,
  clock: RunClock,
): { rows: number; bytes: number } | undefined {
  const previous = previousState(kind, ctx, true);
  const stamp = (ctx.config.always_updated ?? true) ? clock.now() : undefined;
  const plan = planRead(previous, stamp);
  const total = kind.entities(ctx.config);
  let rows: number;
  if (plan.existing === "check") return undefined;
  if (plan.existing === "all") rows = kind.recordsOf(total);
  else rows = kind.recordsOf(total) - kind.recordsOf(Math.min(plan.newAbove, total));
  return { rows, bytes: rows * kind.bytesPerRecord };
}

/** The three streams of one run. Example: `fakerStreams(config)[0].name` → `"users"`. */
export function fakerStreams(config: FakerConfig): StreamDefinition<FakerConfig>[] {
  const run = { seed: new RunSeed(config.seed ?? -1), clock: new RunClock() };
  return [usersKind, productsKind, purchasesKind].map((kind) => ({
    name: kind.name,
    jsonSchema: kind.jsonSchema,
    supportedSyncModes: ["full_refresh", "incremental"],
    primaryKey: [["id"]],
    defaultCursorField: ["updated_at"],
    sourceDefinedCursor: true,
    estimate: (ctx) => estimate(kind, ctx, run.clock),
    read: (ctx) => readStream(kind, ctx, run),
  }));
}
