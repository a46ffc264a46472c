// Regenerates src/airbyte-protocol.schema.json from the official Airbyte Protocol YAML, so that
// @weir/protocol carries the schema itself and never reads ../shared at run time.
// Usage (from the repo root): node packages/protocol/scripts/vendor-schema.mjs [--check] [shared-dir]
//   shared-dir defaults to ../shared beside the repo (the folder holding airbyte-protocol/).
//   --check exits 1 when the committed JSON no longer matches the YAML, and writes nothing.
// `yaml` comes from the repo root's node_modules: it is a build-time tool, not a dependency.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(packageDir, "../..");
const args = process.argv.slice(2);
const check = args.includes("--check");
const sharedDir = resolve(args.find((arg) => !arg.startsWith("--")) ?? resolve(repoRoot, "../shared"));
const sourceDir = join(sharedDir, "airbyte-protocol");
const yamlPath = join(sourceDir, "airbyte_protocol.yaml");
const target = join(packageDir, "src", "airbyte-protocol.schema.json");
const licenceNote = join(packageDir, "src", "airbyte-protocol.schema.LICENSE");

if (!existsSync(yamlPath)) {
  console.error(`vendor-schema: ${yamlPath} not found; pass the shared folder as an argument`);
  process.exit(2);
}

// The README beside the YAML records where the copy came from; the YAML's own `version:` key is
// stale upstream (0.3.2), so the release and commit are taken from there.
const readme = readFileSync(join(sourceDir, "README.md"), "utf8");
const row = readme.split("\n").find((line) => line.startsWith("| `airbyte_protocol.yaml`"));
const commit = row?.match(/`([0-9a-f]{40})`/)?.[1];
const release = row?.match(/tag `v(\d+\.\d+\.\d+)`/)?.[1];
if (commit === undefined || release === undefined) {
  console.error(
    "vendor-schema: cannot find the upstream commit and tag of airbyte_protocol.yaml in README.md",
  );
  process.exit(2);
}
const licence = readFileSync(join(sourceDir, "LICENSE"), "utf8").trim();

const { $schema, ...definition } = parse(readFileSync(yamlPath, "utf8"));
const schema = {
  $schema,
  $comment:
    `Airbyte Protocol ${release}: airbytehq/airbyte-protocol, commit ${commit}, ` +
    "protocol-models/src/main/resources/airbyte_protocol/v0/airbyte_protocol.yaml, converted to JSON " +
    "by packages/protocol/scripts/vendor-schema.mjs. Do not edit; regenerate. " +
    `Licence of this file (also in airbyte-protocol.schema.LICENSE):\n\n${licence}`,
  ...definition,
};

if (check) {
  const current = existsSync(target) ? JSON.parse(readFileSync(target, "utf8")) : undefined;
  if (!isDeepStrictEqual(current, schema)) {
    console.error(
      `vendor-schema: ${relative(repoRoot, target)} is out of date; run this script without --check`,
    );
    process.exit(1);
  }
  console.log(`vendor-schema: ${relative(repoRoot, target)} matches ${yamlPath}`);
  process.exit(0);
}

writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
writeFileSync(
  licenceNote,
  `src/airbyte-protocol.schema.json is the Airbyte Protocol schema ${release} ` +
    `(airbytehq/airbyte-protocol, commit ${commit}), converted from YAML to JSON.\n` +
    `It is distributed under the upstream licence:\n\n${licence}\n`,
);
// Keep the generated file in the repository's formatting, so `biome check` stays clean.
const biome = join(repoRoot, "node_modules", ".bin", "biome");
if (existsSync(biome))
  execFileSync(biome, ["format", "--write", target], { cwd: repoRoot, stdio: "inherit" });
console.log(`vendor-schema: wrote ${relative(repoRoot, target)} (protocol ${release})`);
