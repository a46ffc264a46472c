import { readFile } from "node:fs/promises";
import type { ExpectedRecord, LabelledConfig } from "@weir/acceptance";
import { ConfiguredAirbyteCatalog, StateInput } from "@weir/protocol";
import { configFailure, type Outcome } from "./command-failure.js";

/** The files `weir test-connector` reads, parsed. */
export interface TestConnectorInputs {
  readonly configs: readonly LabelledConfig[];
  readonly invalidConfigs: readonly LabelledConfig[];
  readonly catalog: ConfiguredAirbyteCatalog | undefined;
  readonly expectedRecords: readonly ExpectedRecord[] | undefined;
  readonly futureState: StateInput | undefined;
  readonly readBackConfig: unknown;
}

/** The file options of `weir test-connector`, as given on the command line. */
export interface TestConnectorFiles {
  readonly config: readonly string[];
  readonly invalidConfig: readonly string[];
  readonly catalog?: string | undefined;
  readonly expectedRecords?: string | undefined;
  readonly futureState?: string | undefined;
  readonly readBackConfig?: string | undefined;
}

async function readText(option: string, file: string): Promise<Outcome<string>> {
  try {
    return { ok: true, value: await readFile(file, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : String(error);
    return configFailure("platform", `--${option} ${file}: ${why}`);
  }
}

async function readJson(option: string, file: string): Promise<Outcome<unknown>> {
  const text = await readText(option, file);
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.value) as unknown };
  } catch (error) {
    return configFailure("platform", `--${option} ${file}: not valid JSON (${(error as Error).message})`);
  }
}

async function readConfigs(option: string, files: readonly string[]): Promise<Outcome<LabelledConfig[]>> {
  const out: LabelledConfig[] = [];
  for (const file of files) {
    const value = await readJson(option, file);
    if (!value.ok) return value;
    if (typeof value.value !== "object" || value.value === null || Array.isArray(value.value)) {
      return configFailure("platform", `--${option} ${file}: a config is a JSON object`);
    }
    out.push({ label: file, config: value.value });
  }
  return { ok: true, value: out };
}

async function readCatalog(file: string): Promise<Outcome<ConfiguredAirbyteCatalog>> {
  const value = await readJson("catalog", file);
  if (!value.ok) return value;
  const parsed = ConfiguredAirbyteCatalog.safeParse(value.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? "" : ` at ${issue.path.join(".") || "(root)"}: ${issue.message}`;
  return configFailure("platform", `--catalog ${file}: not a configured catalog${where}`);
}

/** Airbyte's expected-records file: one `{"stream", "data", "namespace"?, "emitted_at"?}` per line. */
async function readExpectedRecords(file: string): Promise<Outcome<ExpectedRecord[]>> {
  const text = await readText("expected-records", file);
  if (!text.ok) return text;
  const out: ExpectedRecord[] = [];
  for (const [i, line] of text.value.split("\n").entries()) {
    if (line.trim() === "") continue;
    const where = `--expected-records ${file}, line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return configFailure("platform", `${where}: not valid JSON`);
    }
    const entry = value as { stream?: unknown; namespace?: unknown; data?: unknown } | null;
    const data = entry?.data;
    if (
      typeof entry?.stream !== "string" ||
      typeof data !== "object" ||
      data === null ||
      Array.isArray(data)
    ) {
      return configFailure(
        "platform",
        `${where}: each line needs "stream" (a string) and "data" (an object)`,
      );
    }
    const namespace = typeof entry.namespace === "string" ? entry.namespace : undefined;
    out.push({ stream: entry.stream, namespace, data: data as Record<string, unknown> });
  }
  return { ok: true, value: out };
}

async function readState(file: string): Promise<Outcome<StateInput>> {
  const value = await readJson("future-state", file);
  if (!value.ok) return value;
  const parsed = StateInput.safeParse(value.value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : configFailure(
        "platform",
        `--future-state ${file}: not a state (a list of STATE messages, or an object)`,
      );
}

/**
 * Reads every file `weir test-connector` was given; the first problem is a config_error that
 * names the option and the file. Example: `await loadTestConnectorInputs({ config: ["c.json"], invalidConfig: [] })`.
 */
export async function loadTestConnectorInputs(
  files: TestConnectorFiles,
): Promise<Outcome<TestConnectorInputs>> {
  const configs = await readConfigs("config", files.config);
  if (!configs.ok) return configs;
  const invalidConfigs = await readConfigs("invalid-config", files.invalidConfig);
  if (!invalidConfigs.ok) return invalidConfigs;
  const catalog = files.catalog === undefined ? undefined : await readCatalog(files.catalog);
  if (catalog !== undefined && !catalog.ok) return catalog;
  const expected =
    files.expectedRecords === undefined ? undefined : await readExpectedRecords(files.expectedRecords);
  if (expected !== undefined && !expected.ok) return expected;
  const state = files.futureState === undefined ? undefined : await readState(files.futureState);
  if (state !== undefined && !state.ok) return state;
  const readBack =
    files.readBackConfig === undefined ? undefined : await readJson("read-back-config", files.readBackConfig);
  if (readBack !== undefined && !readBack.ok) return readBack;
  return {
    ok: true,
    value: {
      configs: configs.value,
      invalidConfigs: invalidConfigs.value,
      catalog: catalog?.value,
      expectedRecords: expected?.value,
      futureState: state?.value,
      readBackConfig: readBack?.value,
    },
  };
}
