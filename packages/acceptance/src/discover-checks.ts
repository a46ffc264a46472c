import {
  additionalPropertiesProblems,
  isSchemaNode,
  refProblems,
  schemaAtPath,
  typesOf,
  walkSchema,
} from "@weir/cdk";
import { type AirbyteCatalog, type AirbyteStream, streamKey } from "@weir/protocol";
import type { AcceptanceRun } from "./acceptance-run.js";
import { failed, passed, type Verdict } from "./check-recorder.js";
import { failedRun, missingAnswer } from "./connector-output.js";
import { schemaError } from "./spec-checks.js";
import { streamLabel } from "./stream-names.js";
import { listSome } from "./text-clip.js";

const SYNC_MODES = new Set(["full_refresh", "incremental"]);

function perStream(
  catalog: AirbyteCatalog,
  problemsOf: (stream: AirbyteStream, label: string) => string[],
): Verdict {
  const problems = catalog.streams.flatMap((stream) => problemsOf(stream, streamLabel(stream)));
  return problems.length === 0 ? passed() : failed(listSome(problems));
}

function schemaProblems(stream: AirbyteStream, label: string): string[] {
  const schema = stream.json_schema;
  if (!isSchemaNode(schema)) return [`${label}: json_schema is not an object`];
  const error = schemaError(schema);
  if (error !== undefined) return [`${label}: json_schema is not a valid JSON Schema: ${error}`];
  return typesOf(schema).includes("object") ? [] : [`${label}: json_schema must have type "object"`];
}

function keyProblems(stream: AirbyteStream, label: string): string[] {
  const problems: string[] = [];
  for (const path of stream.source_defined_primary_key ?? []) {
    const field = isSchemaNode(stream.json_schema) ? schemaAtPath(stream.json_schema, path) : undefined;
    if (field === undefined) problems.push(`${label}: primary key ${path.join(".")} is not in the schema`);
    else if (typesOf(field).some((t) => t === "object" || t === "array")) {
      problems.push(
        `${label}: primary key ${path.join(".")} is an ${typesOf(field).join("/")}, not a scalar`,
      );
    }
  }
  return problems;
}

function cursorProblems(stream: AirbyteStream, label: string): string[] {
  const cursor = stream.default_cursor_field ?? [];
  if (cursor.length === 0 || !isSchemaNode(stream.json_schema)) return [];
  return schemaAtPath(stream.json_schema, cursor) === undefined
    ? [`${label}: default cursor ${cursor.join(".")} is not in the schema`]
    : [];
}

function syncModeProblems(stream: AirbyteStream, label: string): string[] {
  const modes: readonly unknown[] = Array.isArray(stream.supported_sync_modes)
    ? stream.supported_sync_modes
    : [];
  if (modes.length === 0) return [`${label}: supported_sync_modes is empty`];
  return modes
    .filter((m) => typeof m !== "string" || !SYNC_MODES.has(m))
    .map((m) => `${label}: unknown sync mode ${JSON.stringify(m)}`);
}

function keywordProblems(stream: AirbyteStream, label: string): string[] {
  const schema = stream.json_schema;
  if (!isSchemaNode(schema)) return [];
  const problems = [...refProblems(schema), ...additionalPropertiesProblems(schema, false)];
  walkSchema(schema, (node, path) => {
    for (const keyword of ["allOf", "not"]) {
      if (node[keyword] !== undefined) problems.push(`${path || "(root)"}: uses ${keyword}`);
    }
  });
  return problems.map((p) => `${label}: ${p}`);
}

const CHECKS = [
  { id: "discover.valid_json_schemas", title: "every stream has a valid JSON schema", of: schemaProblems },
  { id: "discover.primary_keys_in_schema", title: "primary keys exist in the schema", of: keyProblems },
  {
    id: "discover.cursors_in_schema",
    title: "default cursor fields exist in the schema",
    of: cursorProblems,
  },
  { id: "discover.sync_modes", title: "every stream lists its supported sync modes", of: syncModeProblems },
  {
    id: "discover.schema_keywords",
    title: "schemas use no $ref, allOf or not, and never additionalProperties false",
    of: keywordProblems,
  },
];

/**
 * The discover phase (source): exactly one CATALOG with streams under unique names; every
 * stream schema valid JSON Schema without $ref/allOf/not or closed objects; primary keys and
 * default cursors in the schema; sync modes listed. Resolves to the catalog, if any came.
 * Example: `const catalog = await runDiscoverChecks(run)`.
 */
export async function runDiscoverChecks(
  run: AcceptanceRun,
  blocked?: string,
): Promise<AirbyteCatalog | undefined> {
  const { recorder } = run;
  let catalog: AirbyteCatalog | undefined;
  const first = { id: "discover.catalog", title: "emits exactly one CATALOG, streams named uniquely" };
  if (blocked !== undefined) {
    recorder.skip(first, blocked);
    for (const check of CHECKS) recorder.skip({ id: check.id, title: check.title }, blocked);
    return undefined;
  }
  await recorder.run(first, async () => {
    const output = await run.execute({ command: "discover", config: run.mainConfig.config });
    const catalogs = output.messages.flatMap((m) => (m.type === "CATALOG" ? [m.catalog] : []));
    // Airbyte's tests use the last one when there are several.
    catalog = catalogs.at(-1);
    if (catalog === undefined) return missingAnswer(output, "CATALOG", run.description);
    const failure = failedRun(output, run.description);
    if (failure !== undefined) return failure;
    if (catalogs.length > 1)
      return failed(`printed ${catalogs.length} CATALOG messages; the protocol wants one`);
    if (!Array.isArray(catalog.streams) || catalog.streams.length === 0) {
      return failed("the catalog has no streams");
    }
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const stream of catalog.streams) {
      if (seen.has(streamKey(stream))) twice.add(streamLabel(stream));
      seen.add(streamKey(stream));
    }
    if (twice.size > 0) return failed(`stream names used twice: ${[...twice].join(", ")}`);
    return passed(`${catalog.streams.length} stream(s): ${listSome(catalog.streams.map(streamLabel), 6)}`);
  });

  const usable = catalog !== undefined && Array.isArray(catalog.streams) && catalog.streams.length > 0;
  for (const check of CHECKS) {
    const name = { id: check.id, title: check.title };
    if (catalog === undefined || !usable) recorder.skip(name, "no catalog (discover.catalog failed)");
    else {
      const found = catalog;
      await recorder.run(name, () => perStream(found, check.of));
    }
  }
  return usable ? catalog : undefined;
}
