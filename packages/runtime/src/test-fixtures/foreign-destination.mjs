// A destination that writes every line it reads, verbatim, to `config.received`, and echoes
// states as real destinations do: { echo: "all" | "last" | "none" }, each echo the exact line it
// read (so big numbers survive when Weir kept them).
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const [command, ...rest] = process.argv.slice(2);
const flag = (name) => {
  const at = rest.indexOf(`--${name}`);
  return at === -1 ? undefined : rest[at + 1];
};
if (command === "spec") {
  process.stdout.write('{"type":"SPEC","spec":{"connectionSpecification":{"type":"object"}}}\n');
  process.exit(0);
}
const config = JSON.parse(readFileSync(flag("config"), "utf8"));
writeFileSync(config.received, "");
let pending = "";
let last;
const take = (line) => {
  if (line.length === 0) return;
  appendFileSync(config.received, `${line}\n`);
  if (JSON.parse(line).type !== "STATE") return;
  if (config.echo === "all") process.stdout.write(`${line}\n`);
  else last = line;
};
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  const parts = (pending + chunk).split("\n");
  pending = parts.pop() ?? "";
  for (const line of parts) take(line);
});
process.stdin.on("end", () => {
  take(pending);
  if (config.echo === "last" && last !== undefined) process.stdout.write(`${last}\n`);
});
