// Runs every benchmark and prints each result next to its baseline from the same run:
//   npm run bench -- [--records 200000] [--faker-count 100000] [--repeat 3]
//   npm run bench -- --only pipe        (the protocol pipe alone)
//   npm run bench -- --only mappers     (the mappers benchmark alone)
//   npm run bench -- --only postgres [--pg-rows 1000000]   (the Postgres row pipeline alone)
//   npm run bench -- --only mysql [--mysql-rows 500000]    (the MySQL row pipeline alone)
//   npm run bench -- --only clone [--clone-scale 1] [--clone-turns 2]  (weir clone vs pgcopydb, pg_dump)
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { probeTestServer } from "@weir/mysql-connection/testing";
import { probePostgres } from "@weir/postgres-connection/testing";
import { setUpContainerTests } from "@weir/runtime/testing";
import { benchClone } from "./clone-bench.js";
import { type Measurement, measureInChild, rates } from "./measurement.js";
import { databaseUrl, preparePostgresBench } from "./postgres-bench-data.js";
import { writeRecordFile } from "./record-file.js";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "200000" },
    "faker-count": { type: "string", default: "100000" },
    repeat: { type: "string", default: "3" },
    only: { type: "string" },
    "pg-rows": { type: "string", default: "1000000" },
    "mysql-rows": { type: "string", default: "500000" },
    "clone-scale": { type: "string", default: "1" },
    "clone-turns": { type: "string", default: "2" },
  },
});
const records = Number(values.records);
const fakerCount = Number(values["faker-count"]);
const repeat = Number(values.repeat);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function row(m: Measurement, baseline?: Measurement): string {
  const { recordsPerSecond, mbPerSecond } = rates(m);
  const ratio =
    baseline === undefined
      ? ""
      : `${((recordsPerSecond / rates(baseline).recordsPerSecond) * 100).toFixed(0)}% of ${baseline.name}`;
  return [
    m.name.padEnd(22),
    `${m.records.toLocaleString("en-US")} rec`.padStart(16),
    `${(recordsPerSecond / 1000).toFixed(1)}k rec/s`.padStart(15),
    `${mbPerSecond.toFixed(1)} MB/s`.padStart(12),
    `${m.maxRssMb.toFixed(0)} MB peak`.padStart(13),
    `  ${ratio}`,
  ].join(" ");
}

if (values.only === "mappers") {
  await benchMappers();
  process.exit(0);
}
if (values.only === "postgres") {
  await benchPostgres();
  process.exit(0);
}
if (values.only === "mysql") {
  await benchMysql();
  process.exit(0);
}
if (values.only === "clone") {
  await benchClone(Number(values["clone-scale"]), Number(values["clone-turns"]));
  process.exit(0);
}

const folder = mkdtempSync(join(tmpdir(), "weir-bench-"));
try {
  console.log(`node ${process.version}, ${records} records of ~500 B, best of ${repeat}\n`);
  console.log("protocol pipe: external source (cat) → driver → external destination (parses every line)");
  const small = join(folder, "records-1x.jsonl");
  const large = join(folder, "records-10x.jsonl");
  await writeRecordFile(small, records);
  await writeRecordFile(large, records * 10);
  const pipeScript = here("./pipe-bench.js");
  const cat = {
    ...(await measureInChild(pipeScript, ["cat", small, String(records)], repeat)),
    name: "cat (baseline)",
  };
  const parse = {
    ...(await measureInChild(pipeScript, ["parse", small, String(records)], repeat)),
    name: "JSON.parse (baseline)",
  };
  const pipe = {
    ...(await measureInChild(pipeScript, ["pipe", small, String(records)], repeat)),
    name: "weir pipe",
  };
  const pipe10 = {
    ...(await measureInChild(pipeScript, ["pipe", large, String(records * 10)], Math.min(repeat, 2))),
    name: "weir pipe, 10x records",
  };
  console.log(row(cat));
  console.log(row(parse, cat));
  console.log(row(pipe, parse));
  console.log(row(pipe10, parse));
  // The pipe starts two processes (~0.15 s before the first record moves); the extra records of
  // the 10x run over its extra time are the pipe's steady rate, with that start taken out.
  const marginal: Measurement = {
    name: "weir pipe, steady (10x − 1x)",
    seconds: pipe10.seconds - pipe.seconds,
    records: pipe10.records - pipe.records,
    bytes: pipe10.bytes - pipe.bytes,
    maxRssMb: pipe10.maxRssMb,
  };
  console.log(row(marginal, parse));
  console.log(`peak memory 10x / 1x: ${(pipe10.maxRssMb / pipe.maxRssMb).toFixed(2)}\n`);
  if (values.only === "pipe") process.exit(0);

  console.log(
    "protocol pipe in containers: the same source and destination, each in a container (podman/docker)",
  );
  const containers = await setUpContainerTests();
  if (!containers.ok) {
    console.log(`skipped: ${containers.reason}\n`);
  } else {
    const images = [containers.images.bare, containers.images.node];
    // Taken in turns with the local pipe, so that a noisy spell hits both alike.
    const best = (a: Measurement | undefined, b: Measurement) =>
      a === undefined || b.seconds < a.seconds ? b : a;
    const inTurns = async (file: string, count: number, turns: number) => {
      let local: Measurement | undefined;
      let contained: Measurement | undefined;
      for (let turn = 0; turn < turns; turn++) {
        local = best(local, await measureInChild(pipeScript, ["pipe", file, String(count)], 1));
        contained = best(
          contained,
          await measureInChild(pipeScript, ["pipe-container", file, String(count), ...images], 1),
        );
      }
      if (local === undefined || contained === undefined) throw new Error("turns must be at least 1");
      return { local, contained };
    };
    const one = await inTurns(small, records, repeat);
    const ten = await inTurns(large, records * 10, Math.min(repeat, 2));
    const local1 = { ...one.local, name: "weir pipe" };
    const local10 = { ...ten.local, name: "weir pipe, 10x records" };
    console.log(row(local1));
    console.log(row({ ...one.contained, name: "weir pipe, containers" }, local1));
    console.log(row(local10));
    console.log(row({ ...ten.contained, name: "containers, 10x records" }, local10));
    const added = (pair: typeof one) => `${(pair.contained.seconds - pair.local.seconds).toFixed(2)} s`;
    console.log(`time added by the containers: ${added(one)} (1x), ${added(ten)} (10x)`);
    // What one container costs before any data moves: the floor of the time added above.
    let start = Number.POSITIVE_INFINITY;
    for (let turn = 0; turn < repeat; turn++) {
      const began = process.hrtime.bigint();
      await promisify(execFile)(containers.images.runtime.program, [
        "run",
        "--rm",
        "--init",
        images[0] ?? "",
        "true",
      ]);
      start = Math.min(start, Number(process.hrtime.bigint() - began) / 1e9);
    }
    console.log(
      `one container's start and removal (${containers.images.runtime.kind} run --rm IMAGE true): ${start.toFixed(2)} s\n`,
    );
  }

  console.log(`in-process: source-faker (count ${fakerCount}) → driver → destination-jsonl`);
  const fakerScript = here("./faker-bench.js");
  const alone = await measureInChild(fakerScript, ["source", String(fakerCount)], repeat);
  const sync = await measureInChild(fakerScript, ["sync", String(fakerCount)], repeat);
  console.log(row(alone));
  console.log(row(sync, alone));
} finally {
  rmSync(folder, { recursive: true, force: true });
}

await benchMappers();
await benchPostgres();
await benchMysql();
await benchClone(Number(values["clone-scale"]), Number(values["clone-turns"]));

/** source-mysql → destination-mysql in-process, against mariadb-dump piped into mariadb. */
async function benchMysql(): Promise<void> {
  const rows = Number(values["mysql-rows"]);
  const server = await probeTestServer();
  if (!server.ok) {
    console.log(`mysql row pipeline: skipped: ${server.reason}\n`);
    return;
  }
  console.log(
    `mysql row pipeline: ${rows.toLocaleString("en-US")} rows (int, varchar, decimal, datetime, tinyint(1), text, json)`,
  );
  const script = here("./mysql-bench.js");
  const step = (args: string[]) =>
    promisify(execFile)(process.execPath, [script, ...args], { maxBuffer: 16 << 20 });
  await step(["setup", String(rows)]);
  try {
    // In turns, so that a noisy spell of this shared machine hits both, then the best of each.
    let baseline: Measurement | undefined;
    let sync: Measurement | undefined;
    const faster = (a: Measurement | undefined, b: Measurement) =>
      a === undefined || b.seconds < a.seconds ? b : a;
    for (let turn = 0; turn < repeat; turn++) {
      baseline = faster(baseline, await measureInChild(script, ["dump"], 1));
      sync = faster(sync, await measureInChild(script, ["sync"], 1));
    }
    const read = await measureInChild(script, ["read"], repeat);
    if (baseline === undefined || sync === undefined) throw new Error("repeat must be at least 1");
    console.log(row(baseline));
    console.log(row(sync, baseline));
    console.log(row(read, baseline));
    console.log(
      "(MB/s: text of every column of the source rows; peak memory of the measuring process only)\n",
    );
  } finally {
    await step(["teardown"]);
  }
}

/** source-postgres → destination-postgres in-process, against psql's \copy piped into psql. */
async function benchPostgres(): Promise<void> {
  const rows = Number(values["pg-rows"]);
  const server = await probePostgres();
  if (!server.ok) {
    console.log(`postgres row pipeline: skipped: ${server.reason}\n`);
    return;
  }
  console.log(
    `postgres row pipeline: ${rows.toLocaleString("en-US")} users (text, numeric, timestamptz, text[], jsonb)`,
  );
  const dbs = await preparePostgresBench(rows);
  try {
    const script = here("./postgres-bench.js");
    const args = [databaseUrl(dbs.source), databaseUrl(dbs.target), String(rows), String(dbs.bytes)];
    // In turns, so that a noisy spell of this shared machine hits both, then the best of each.
    let baseline: Measurement | undefined;
    let sync: Measurement | undefined;
    for (let turn = 0; turn < repeat; turn++) {
      const b = await measureInChild(script, ["baseline", ...args], 1);
      const s = await measureInChild(script, ["sync", ...args], 1);
      if (baseline === undefined || b.seconds < baseline.seconds) baseline = b;
      if (sync === undefined || s.seconds < sync.seconds) sync = s;
    }
    if (baseline === undefined || sync === undefined) throw new Error("repeat must be at least 1");
    const source = await measureInChild(script, ["source", ...args], repeat);
    console.log(row(baseline));
    console.log(row(sync, baseline));
    console.log(row(source, baseline));
    console.log("(MB/s: on-disk size of the source rows; peak memory of the measuring process only)\n");
  } finally {
    await dbs.source.drop();
    await dbs.target.drop();
  }
}

/** Per-value cost of each mapper, and "3 of 16 fields mapped" against the same sync unmapped. */
async function benchMappers(): Promise<void> {
  const script = here("./mapper-bench.js");
  // The per-value table needs fewer records than the syncs: it runs every mapper over them.
  const users = Math.min(fakerCount, 20_000);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [script, "values", String(users), String(repeat * 3)],
    {
      maxBuffer: 16 << 20,
    },
  );
  console.log(`mappers: ${stdout}`);
  console.log(
    `in-process: source-faker users (count ${fakerCount}) → driver → destination-jsonl, 3 of 16 fields mapped`,
  );
  // In turns, so that a noisy spell of this shared machine hits both, then the best of each.
  let unmapped: Measurement | undefined;
  let mapped: Measurement | undefined;
  const cpuTimes = { unmapped: Number.POSITIVE_INFINITY, mapped: Number.POSITIVE_INFINITY };
  // mapper-bench.js adds the sync's CPU time to the usual measurement line.
  type SyncMeasurement = Measurement & { readonly cpuSeconds: number };
  for (let turn = 0; turn < Math.max(repeat, 3); turn++) {
    const plain = (await measureInChild(script, ["sync", String(fakerCount)], 1)) as SyncMeasurement;
    const withMappers = (await measureInChild(
      script,
      ["sync-mapped", String(fakerCount)],
      1,
    )) as SyncMeasurement;
    if (unmapped === undefined || plain.seconds < unmapped.seconds) unmapped = plain;
    if (mapped === undefined || withMappers.seconds < mapped.seconds) mapped = withMappers;
    cpuTimes.unmapped = Math.min(cpuTimes.unmapped, plain.cpuSeconds);
    cpuTimes.mapped = Math.min(cpuTimes.mapped, withMappers.cpuSeconds);
  }
  if (unmapped === undefined || mapped === undefined) throw new Error("no mapper measurement");
  console.log(row(unmapped));
  console.log(row(mapped, unmapped));
  // Wall time swings with whatever else runs on the machine; CPU time (best of the turns) much less.
  const { unmapped: cpuUnmapped, mapped: cpuMapped } = cpuTimes;
  console.log(
    `CPU time: unmapped ${cpuUnmapped.toFixed(2)} s, mapped ${cpuMapped.toFixed(2)} s: ` +
      `${((cpuUnmapped / cpuMapped) * 100).toFixed(0)}% of the unmapped throughput per CPU second\n`,
  );
}
