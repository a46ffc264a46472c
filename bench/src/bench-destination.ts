// A minimal external destination for the pipe benchmark: it parses every line, as any real
// destination must, and echoes each STATE once the lines before it are "written" (counted).
let pending: Buffer[] = [];
let records = 0;
const out: string[] = [];

function handle(line: string): void {
  if (line.length === 0) return;
  const message = JSON.parse(line) as { type: string };
  if (message.type === "RECORD") records++;
  else if (message.type === "STATE") out.push(line);
}

process.stdin.on("data", (chunk: Buffer) => {
  let start = 0;
  for (;;) {
    const nl = chunk.indexOf(10, start);
    if (nl === -1) break;
    if (pending.length > 0) {
      pending.push(chunk.subarray(start, nl));
      handle(Buffer.concat(pending).toString("utf8"));
      pending = [];
    } else {
      handle(chunk.toString("utf8", start, nl));
    }
    start = nl + 1;
  }
  if (start < chunk.length) pending.push(Buffer.from(chunk.subarray(start)));
  if (out.length > 0) {
    process.stdout.write(`${out.join("\n")}\n`);
    out.length = 0;
  }
});
process.stdin.on("end", () => {
  process.stderr.write(`bench-destination: ${records} records\n`);
});
