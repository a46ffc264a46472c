import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLine } from "./json-lines.js";
import { createProtocolValidator } from "./protocol-validator.js";
import {
  AirbyteRecordMessage,
  ConfiguredAirbyteCatalog,
  ConnectorSpecification,
  StateInput,
} from "./schemas.js";

// Real files from Airbyte's repositories, kept in shared/ beside the repo (CI checks it out there).
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const fixtures = resolve(repoRoot, "../shared/airbyte-fixtures");
const haveFixtures = existsSync(fixtures);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

/** What each fixture is, by the end of its name, and the check that it parses as that. */
const KINDS: readonly [RegExp, string, (file: string) => void][] = [
  [
    /configured_catalog\.json$/,
    "ConfiguredAirbyteCatalog",
    (file) => {
      const json = readJson(file);
      const catalog = ConfiguredAirbyteCatalog.parse(json);
      expect(catalog.streams.length).toBeGreaterThan(0);
      expect(createProtocolValidator().validateConfiguredCatalog(json)).toEqual([]);
    },
  ],
  [
    /spec\.json$/,
    "ConnectorSpecification",
    (file) => {
      const spec = ConnectorSpecification.parse(readJson(file));
      expect(spec.connectionSpecification.type).toBe("object");
      expect(createProtocolValidator()({ type: "SPEC", spec })).toEqual([]);
    },
  ],
  [
    /expected_records\.jsonl$/,
    "AirbyteRecordMessage bodies",
    (file) => {
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "");
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const body = AirbyteRecordMessage.parse(JSON.parse(line));
        // The same body in an envelope is a message for the codec's hand-written RECORD check too.
        const parsed = parseLine(`{"type":"RECORD","record":${line}}`);
        expect(parsed).toEqual({ kind: "message", message: { type: "RECORD", record: body } });
      }
    },
  ],
  [
    /(sample|abnormal|legacy)_state\.json$/,
    "StateInput (a legacy blob)",
    (file) => {
      const state = StateInput.parse(readJson(file));
      expect(Array.isArray(state)).toBe(false);
    },
  ],
  [
    /config\.json$/,
    "a config object",
    (file) => {
      const config = readJson(file);
      expect(typeof config === "object" && config !== null && !Array.isArray(config)).toBe(true);
    },
  ],
  [/README\.md$/, "documentation", () => {}],
];

describe.skipIf(!haveFixtures)(
  `Airbyte's fixture files (skipped: ${fixtures} not found beside the repo)`,
  () => {
    const files = haveFixtures ? filesUnder(fixtures).sort() : [];

    it("are all of a known kind", () => {
      const unknown = files.filter((file) => !KINDS.some(([pattern]) => pattern.test(file)));
      expect(unknown.map((file) => relative(fixtures, file))).toEqual([]);
      expect(files.length).toBeGreaterThan(5);
    });

    for (const file of files) {
      const kind = KINDS.find(([pattern]) => pattern.test(file));
      if (kind === undefined) continue;
      it(`${relative(fixtures, file)} parses as ${kind[1]}`, () => kind[2](file));
    }
  },
);
