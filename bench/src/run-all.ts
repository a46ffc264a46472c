// Runs every benchmark and prints each result next to its baseline from the same run:
//   npm run bench -- [--records 200000] [--faker-count 100000] [--repeat 3]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Measurement, measureInChild, rates } from "./measurement.js";
import { writeRecordFile } from "./record-file.js";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "200000" },
    "faker-count": { type: "string", default: "100000" },
    repeat: { type: "string", default: "3" },
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
    ...(await measureInChild(pipeScript, ["pipe", large, String(records * 10)], 1)),
    name: "weir pipe, 10x records",
  };
  console.log(row(cat));
  console.log(row(parse, cat));
  console.log(row(pipe, parse));
  console.log(row(pipe10, parse));
  console.log(`peak memory 10x / 1x: ${(pipe10.maxRssMb / pipe.maxRssMb).toFixed(2)}\n`);

  console.log(`in-process: source-faker (count ${fakerCount}) → driver → destination-jsonl`);
  const fakerScript = here("./faker-bench.js");
  const alone = await measureInChild(fakerScript, ["source", String(fakerCount)], repeat);
  const sync = await measureInChild(fakerScript, ["sync", String(fakerCount)], repeat);
  console.log(row(alone));
  console.log(row(sync, alone));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
