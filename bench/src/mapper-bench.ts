// The mappers benchmark, run in its own process by run-all.ts (mapper-report.ts):
//   node dist/mapper-bench.js values COUNT ROUNDS
//     per-value cost of each built-in mapper on source-faker's users (16 fields), against a
//     plain copy of each record measured in the same rounds; then "3 of 16 fields mapped"
//     in-process: records → mappers → JSON text, against records → JSON text. Prints a table.
//   node dist/mapper-bench.js sync|sync-mapped COUNT
//     source-faker users → driver → destination-jsonl, without or with the 3 mappers applied
//     to the source's output; one JSON measurement line, as the other benchmarks print.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConnector } from "@weir/cdk";
import { destinationJsonl } from "@weir/destination-jsonl";
import {
  type CompiledStreamMappers,
  compileStreamMappers,
  type MapperConfig,
  MapperConfigList,
} from "@weir/mappers";
import type {
  AirbyteMessage,
  AirbyteRecordMessage,
  AirbyteStream,
  ConfiguredAirbyteCatalog,
} from "@weir/protocol";
import { type ConnectorHandle, createInProcessHandle, runSync } from "@weir/runtime";
import { sourceFaker } from "@weir/source-faker";

const KEY = "bench-key-not-a-secret";
const AES_KEY = "0f".repeat(32);
const BATCH = 1000;

/** The mappers of "3 of 16 fields mapped": the example of the mappers issue. */
const THREE_OF_SIXTEEN: MapperConfig[] = MapperConfigList.parse([
  { type: "hash", field: "email", key: KEY },
  { type: "fake", field: "name", kind: "full_name", key: KEY },
  { type: "mask", field: "telephone", keep_last: 4 },
]);

const CASES: { name: string; mappers: unknown[]; input?: "encrypted" }[] = [
  { name: "hash hmac-sha256 (email)", mappers: [{ type: "hash", field: "email", key: KEY }] },
  { name: "hash sha256 (email)", mappers: [{ type: "hash", field: "email", algorithm: "sha256" }] },
  { name: "fake full_name (name)", mappers: [{ type: "fake", field: "name", kind: "full_name", key: KEY }] },
  { name: "fake email (email)", mappers: [{ type: "fake", field: "email", kind: "email", key: KEY }] },
  {
    name: "fake phone (telephone)",
    mappers: [{ type: "fake", field: "telephone", kind: "phone", key: KEY }],
  },
  { name: "fake uuid (id)", mappers: [{ type: "fake", field: "id", kind: "uuid", key: KEY }] },
  { name: "mask keep_last 4 (telephone)", mappers: [{ type: "mask", field: "telephone", keep_last: 4 }] },
  { name: "redact (email)", mappers: [{ type: "redact", field: "email" }] },
  { name: "nullify (email)", mappers: [{ type: "nullify", field: "email" }] },
  { name: "drop (blood_type)", mappers: [{ type: "drop", field: "blood_type" }] },
  { name: "rename (occupation)", mappers: [{ type: "rename", field: "occupation", to: "job" }] },
  {
    name: "shift_date (created_at)",
    mappers: [{ type: "shift_date", field: "created_at", max_days: 30, key: KEY }],
  },
  { name: "round -1 (weight)", mappers: [{ type: "round", field: "weight", precision: -1 }] },
  { name: "round month (created_at)", mappers: [{ type: "round", field: "created_at", unit: "month" }] },
  { name: "encrypt (email)", mappers: [{ type: "encrypt", field: "email", key: AES_KEY }] },
  {
    name: "decrypt (email)",
    mappers: [{ type: "decrypt", field: "email", key: AES_KEY }],
    input: "encrypted",
  },
  {
    name: "filter (age, nationality)",
    mappers: [{ type: "filter", where: "age >= 30 and nationality != 'Italian'" }],
  },
  { name: "set template (title)", mappers: [{ type: "set", field: "title", template: "{title} {name}" }] },
];

const fakerConfig = (count: number) => ({ count, seed: 7, records_per_slice: 1000, always_updated: false });

async function usersStream(count: number): Promise<AirbyteStream> {
  for await (const batch of runConnector(sourceFaker, { command: "discover", config: fakerConfig(count) })) {
    for (const message of batch) {
      const users =
        message.type === "CATALOG" ? message.catalog.streams.find((s) => s.name === "users") : undefined;
      if (users !== undefined) return users;
    }
  }
  throw new Error("source-faker sent no users stream");
}

const usersCatalog = (stream: AirbyteStream): ConfiguredAirbyteCatalog => ({
  streams: [{ stream, sync_mode: "full_refresh", destination_sync_mode: "overwrite" }],
});

async function fakeUsers(stream: AirbyteStream, count: number): Promise<AirbyteRecordMessage[]> {
  const records: AirbyteRecordMessage[] = [];
  const invocation = { command: "read", config: fakerConfig(count), catalog: usersCatalog(stream) } as const;
  for await (const batch of runConnector(sourceFaker, invocation)) {
    for (const message of batch) if (message.type === "RECORD") records.push(message.record);
  }
  return records;
}

function compile(stream: AirbyteStream, mappers: unknown[]): CompiledStreamMappers {
  const compiled = compileStreamMappers({ stream, mappers: MapperConfigList.parse(mappers) });
  if (!compiled.ok) throw new Error(compiled.failure.message);
  if (compiled.value.isAsync) throw new Error("the benchmark measures synchronous mappers only");
  return compiled.value;
}

/**
 * Maps the records batch by batch and hands each mapped batch to `use`. Batches are not kept:
 * keeping every output alive would bill the mappers for the garbage collector's extra work.
 */
function mapEach(
  mappers: CompiledStreamMappers,
  records: readonly AirbyteRecordMessage[],
  use: (batch: readonly AirbyteRecordMessage[]) => void,
): void {
  for (let i = 0; i < records.length; i += BATCH) {
    const result = mappers.mapBatch(records.slice(i, i + BATCH));
    if (result instanceof Promise || !result.ok) throw new Error("mapping failed");
    use(result.value.records);
  }
}

const ignore = () => undefined;

/** Records per timed sample: short samples, so that most of them fall between bursts of other work. */
const SAMPLE = 2000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function measureValues(count: number, rounds: number): Promise<void> {
  const stream = await usersStream(count);
  const records = await fakeUsers(stream, count);
  const n = records.length;
  const encrypted: AirbyteRecordMessage[] = [];
  mapEach(compile(stream, [{ type: "encrypt", field: "email", key: AES_KEY }]), records, (batch) => {
    encrypted.push(...batch);
  });
  type Work = (from: number, to: number) => void;
  // A plain copy of each record and its data: the least any mapper that changes a value must do.
  const copy: Work = (from, to) => {
    for (let i = from; i < to; i += BATCH) {
      const batch = records.slice(i, Math.min(to, i + BATCH));
      batch.map((record) => ({ ...record, data: { ...record.data } }));
    }
  };
  const passes = CASES.map((c) => {
    const mappers = compile(stream, c.mappers);
    const input = c.input === "encrypted" ? encrypted : records;
    const run: Work = (from, to) => mapEach(mappers, input.slice(from, to), ignore);
    return { name: c.name, run };
  });
  const three = compile(stream, THREE_OF_SIXTEEN);
  // The lengths are summed so that the serialisation cannot be optimised away.
  let bytes = 0;
  const serialize = (batch: readonly AirbyteRecordMessage[]) => {
    for (const record of batch) bytes += JSON.stringify({ type: "RECORD", record }).length;
  };
  const plainJson: Work = (from, to) => {
    for (let i = from; i < to; i += BATCH) serialize(records.slice(i, Math.min(to, i + BATCH)));
  };
  const mappedJson: Work = (from, to) => mapEach(three, records.slice(from, to), serialize);
  const all: { name: string; run: Work }[] = [
    { name: "copy", run: copy },
    ...passes,
    { name: "json", run: plainJson },
    { name: "mapped json", run: mappedJson },
  ];
  const samples = new Map<string, number[]>(all.map((w) => [w.name, []]));
  // Every case runs on each slice of the records in turn, so a noisy moment of this shared
  // machine hurts one sample of many cases, not many samples of one; the median of a case's
  // samples is its figure (the minimum would leave out the garbage collection it causes).
  for (let round = 0; round < rounds + 1; round++) {
    for (let from = 0; from < n; from += SAMPLE) {
      const to = Math.min(n, from + SAMPLE);
      for (const { name, run } of all) {
        const startedAt = process.hrtime.bigint();
        run(from, to);
        const ns = Number(process.hrtime.bigint() - startedAt) / (to - from);
        if (round > 0) samples.get(name)?.push(ns);
      }
    }
  }
  if (bytes === 0) throw new Error("nothing was serialised");
  const perRecord = (name: string) => median(samples.get(name) ?? []);
  const fastest = (name: string) => Math.min(...(samples.get(name) ?? []));
  const baseline = perRecord("copy");
  const fastestBaseline = fastest("copy");
  console.log(
    `${n.toLocaleString("en-US")} source-faker users (16 fields), batches of ${BATCH}, ` +
      `median of ${rounds * Math.ceil(n / SAMPLE)} samples of ${SAMPLE} records`,
  );
  const cell = (ns: number) => ns.toFixed(0).padStart(7);
  console.log(`${"ns per value over the baseline:".padEnd(36)}  median fastest`);
  console.log(
    `${"copy of record and data (baseline)".padEnd(36)} ${cell(baseline)} ${cell(fastestBaseline)}  ns/record`,
  );
  let sum = 0;
  let sumFastest = 0;
  for (const pass of passes) {
    const cost = perRecord(pass.name) - baseline;
    const best = fastest(pass.name) - fastestBaseline;
    sum += cost;
    sumFastest += best;
    console.log(`${pass.name.padEnd(36)} ${cell(cost)} ${cell(best)}`);
  }
  console.log(
    `${"average of the mappers above".padEnd(36)} ${cell(sum / passes.length)} ${cell(sumFastest / passes.length)}`,
  );
  const json = perRecord("json");
  const mapped = perRecord("mapped json");
  console.log(
    `\n3 of 16 fields mapped (hash email, fake name, mask telephone), in-process, records → JSON text:\n` +
      `${"unmapped".padEnd(36)} ${(1e6 / json).toFixed(0).padStart(6)}k rec/s\n` +
      `${"mapped".padEnd(36)} ${(1e6 / mapped).toFixed(0).padStart(6)}k rec/s  ${((json / mapped) * 100).toFixed(0)}% of unmapped`,
  );
}

/** The source's RECORDs of the stream, mapped; every other message as it was. */
function mappedSource(source: ConnectorHandle, mappers: CompiledStreamMappers): ConnectorHandle {
  return {
    description: `${source.description} (mapped)`,
    run(invocation, options) {
      const run = source.run(invocation, options);
      async function* messages(): AsyncGenerator<readonly AirbyteMessage[]> {
        for await (const batch of run.messages) {
          const records = batch.flatMap((m) => (m.type === "RECORD" ? [m.record] : []));
          if (records.length === 0) {
            yield batch;
            continue;
          }
          const result = mappers.mapBatch(records);
          if (result instanceof Promise || !result.ok) throw new Error("mapping failed");
          const mapped = result.value.records;
          // No filter among these mappers: the output lines up with the input, one for one.
          let next = 0;
          yield batch.map((m) =>
            m.type === "RECORD" ? { type: "RECORD", record: mapped[next++] as AirbyteRecordMessage } : m,
          );
        }
      }
      return { messages: messages(), exit: run.exit, kill: (reason) => run.kill(reason) };
    },
  };
}

function folderBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

async function measureSync(count: number, mapped: boolean): Promise<void> {
  const stream = await usersStream(count);
  const folder = mkdtempSync(join(tmpdir(), "weir-bench-"));
  const plain = createInProcessHandle(sourceFaker);
  const source = mapped ? mappedSource(plain, compile(stream, THREE_OF_SIXTEEN)) : plain;
  const startedAt = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const result = await runSync({
    source: { handle: source, config: fakerConfig(count) },
    destination: { handle: createInProcessHandle(destinationJsonl), config: { destination_path: folder } },
    catalog: usersCatalog(stream),
  });
  if (result.status !== "succeeded") throw new Error(`sync failed: ${JSON.stringify(result.failure)}`);
  const records = result.streams.reduce((sum, s) => sum + s.recordsCommitted, 0);
  const cpu = process.cpuUsage(cpuBefore);
  // The usual measurement line, plus the sync's CPU time: on a machine shared with other work,
  // wall time swings by a factor of two between runs, CPU time much less.
  const name = mapped ? "users, 3 of 16 mapped" : "users, unmapped";
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const measurement = { name, seconds, records, bytes: folderBytes(folder), maxRssMb, cpuSeconds };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
  rmSync(folder, { recursive: true, force: true });
}

const [mode, countArg, roundsArg] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count <= 0)
  throw new Error("usage: mapper-bench.js values|sync|sync-mapped COUNT [ROUNDS]");
if (mode === "values") await measureValues(count, Number(roundsArg ?? 5));
else if (mode === "sync" || mode === "sync-mapped") await measureSync(count, mode === "sync-mapped");
else throw new Error("usage: mapper-bench.js values|sync|sync-mapped COUNT [ROUNDS]");
