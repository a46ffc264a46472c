import type { AirbyteRecordMessage } from "@weir/protocol";
import { compileRoundMapper, compileShiftDateMapper } from "./date-mappers.js";
import { compileDecryptMapper, compileEncryptMapper } from "./encryption-mappers.js";
import { compileFakeMapper } from "./fake-mapper.js";
import { compileDropMapper, compileRenameMapper } from "./field-mappers.js";
import type { RecordData } from "./field-path.js";
import { compileFilterMapper } from "./filter-predicate.js";
import { compileHashMapper } from "./hash-mapper.js";
import { compileJavascriptMapper } from "./javascript-mapper.js";
import type { MapperConfig, RecordValidationMode } from "./mapper-config.js";
import {
  type BatchStep,
  type CompileOutcome,
  type MapperContext,
  type MetaChange,
  type RecordStep,
  type RecordWork,
  withoutRemoved,
} from "./mapper-step.js";
import { compileMaskMapper, compileNullifyMapper, compileRedactMapper } from "./masking-mappers.js";
import { createRecordValidator, type RecordValidator } from "./record-validator.js";
import { compileSetMapper } from "./set-mapper.js";
import { type SchemaNode, StreamSchemaEditor } from "./stream-schema.js";

/** An expected failure: a configuration that cannot work, or a mapper that failed on data. */
export interface MapperFailure {
  readonly type: "config_error" | "system_error";
  /** Names the stream, the mapper and the field; never a key or a value of a mapped field. */
  readonly message: string;
}

export type MapperResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: MapperFailure };

/** What one batch became. */
export interface MappedBatch {
  /** The records to pass on, in order. A record no mapper changed is the input object itself. */
  readonly records: readonly AirbyteRecordMessage[];
  /** Records a filter (or a javascript mapper returning null) removed. */
  readonly filtered: number;
  /** Records that did not match the stream's schema: kept in `warn` mode, dropped in `skip` mode. */
  readonly invalid: number;
  /** Entries added to records' `meta.changes` (values the mappers had to null or truncate). */
  readonly changes: number;
  /** Lines to log: the first examples of invalid records of the stream (path and rule, no values). */
  readonly warnings: readonly string[];
}

export type MapBatchResult = MapperResult<MappedBatch>;

/** A stream's mappers, compiled once, applied to every batch of its records. */
export interface CompiledStreamMappers {
  /** The stream these mappers were compiled for, to route records by. */
  readonly stream: { readonly name: string; readonly namespace: string | null };
  /** The stream's JSON schema as the mappers leave it: what the destination should create. */
  readonly schema: Record<string, unknown>;
  /** True when there is nothing to do (no mappers, validation off): mapBatch hands records back as they are. */
  readonly isIdentity: boolean;
  /** True when a javascript mapper runs: mapBatch returns a promise. Otherwise it returns the result itself. */
  readonly isAsync: boolean;
  /** Starts the javascript mappers' workers and loads their modules; a module that cannot load is a config error. */
  ready(): Promise<MapperResult<void>>;
  /**
   * Maps one batch. Input records are never changed: a changed record is a new object.
   * Example: `const r = mappers.mapBatch(records); const result = r instanceof Promise ? await r : r;`
   */
  mapBatch(records: readonly AirbyteRecordMessage[]): MapBatchResult | Promise<MapBatchResult>;
  /** Stops the workers. */
  close(): Promise<void>;
}

export interface StreamMappersInput {
  readonly stream: {
    readonly name: string;
    readonly namespace?: string | null | undefined;
    readonly json_schema: Record<string, unknown>;
  };
  /** Parsed with MapperConfigList (the pipeline loader does that). */
  readonly mappers: readonly MapperConfig[];
  readonly validation?: RecordValidationMode | undefined;
  /** Where relative javascript module paths start (the pipeline file's folder); default: the working directory. */
  readonly baseDirectory?: string | undefined;
}

type Segment =
  | { readonly kind: "record"; readonly steps: readonly RecordStep[] }
  | { readonly kind: "batch"; readonly run: BatchStep };

const MAX_WARNINGS = 5;
const NO_WARNINGS: readonly string[] = Object.freeze([]);

function compileOne(
  context: MapperContext,
  config: MapperConfig,
  stream: { name: string; namespace: string | null },
): CompileOutcome {
  switch (config.type) {
    case "hash":
      return compileHashMapper(context, config);
    case "fake":
      return compileFakeMapper(context, config);
    case "mask":
      return compileMaskMapper(context, config);
    case "redact":
      return compileRedactMapper(context, config);
    case "nullify":
      return compileNullifyMapper(context, config);
    case "drop":
      return compileDropMapper(context, config);
    case "rename":
      return compileRenameMapper(context, config);
    case "shift_date":
      return compileShiftDateMapper(context, config);
    case "round":
      return compileRoundMapper(context, config);
    case "encrypt":
      return compileEncryptMapper(context, config);
    case "decrypt":
      return compileDecryptMapper(context, config);
    case "filter":
      return compileFilterMapper(context, config);
    case "set":
      return compileSetMapper(context, config);
    case "javascript":
      return compileJavascriptMapper(context, config, stream);
  }
}

/**
 * The record with new data and its changes added to `meta.changes`. Built field by field
 * rather than spread: records read off a pipe have `data` as an accessor, which makes a spread
 * take V8's slow path (~2 µs). Fields we do not know (a newer protocol's) are kept.
 */
function mappedRecord(
  record: AirbyteRecordMessage,
  data: RecordData,
  changes: MetaChange[] | undefined,
): AirbyteRecordMessage {
  const next: AirbyteRecordMessage = { stream: record.stream, data, emitted_at: record.emitted_at };
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== "stream" && key !== "data" && key !== "emitted_at") next[key] = record[key];
  }
  if (changes !== undefined) {
    const prior = record.meta?.changes;
    next.meta = { ...record.meta, changes: prior == null ? changes : [...prior, ...changes] };
  }
  return next;
}

function compacted(work: RecordWork): RecordData {
  if (work.removed) {
    work.data = withoutRemoved(work.data);
    work.removed = false;
  }
  return work.data;
}

/** Per-batch counters and the stream's examples of invalid records. */
class BatchTally {
  filtered = 0;
  invalid = 0;
  changes = 0;
  warnings: string[] | undefined;
}

/**
 * Compiles a stream's mappers against its schema. A mapper that names a field the schema lacks,
 * two mappers producing one field, a condition that does not parse… are config errors here,
 * before any data moves. Example:
 * `compileStreamMappers({ stream, mappers: [{ type: "drop", field: "blood_type" }] })`.
 */
export function compileStreamMappers(input: StreamMappersInput): MapperResult<CompiledStreamMappers> {
  const namespace = input.stream.namespace ?? null;
  const streamName = namespace ? `${namespace}.${input.stream.name}` : input.stream.name;
  const schema = new StreamSchemaEditor(input.stream.json_schema);
  const produced = new Map<string, string>();
  const segments: Segment[] = [];
  let steps: RecordStep[] = [];
  let mutates = false;
  let adds = false;
  for (const [index, config] of input.mappers.entries()) {
    const context: MapperContext = {
      streamName,
      label: `mapper ${index + 1} (${config.type})`,
      schema,
      produced,
      baseDirectory: input.baseDirectory ?? process.cwd(),
    };
    const compiled = compileOne(context, config, { name: input.stream.name, namespace });
    if (!compiled.ok) return { ok: false, failure: { type: "config_error", message: compiled.message } };
    if (compiled.value.kind === "record") {
      steps.push(compiled.value.step);
      mutates ||= compiled.value.mutates;
      adds ||= compiled.value.adds;
    } else {
      if (steps.length > 0) segments.push({ kind: "record", steps });
      steps = [];
      segments.push({ kind: "batch", run: compiled.value.run });
      mutates = true;
    }
  }
  if (steps.length > 0) segments.push({ kind: "record", steps });
  const mode = input.validation ?? "off";
  let validator: RecordValidator | undefined;
  if (mode !== "off") {
    try {
      validator = createRecordValidator(schema.schema);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        failure: {
          type: "config_error",
          message: `stream ${streamName}: its JSON schema cannot be used to validate records: ${reason}`,
        },
      };
    }
  }
  return {
    ok: true,
    value: new StreamMappers(
      { name: input.stream.name, namespace },
      streamName,
      schema.schema,
      segments,
      mutates ? (adds ? "assign" : "spread") : "none",
      mode,
      validator,
    ),
  };
}

class StreamMappers implements CompiledStreamMappers {
  readonly isIdentity: boolean;
  readonly isAsync: boolean;
  readonly #work: RecordWork = { data: {}, changes: undefined, removed: false };
  readonly #steps: readonly RecordStep[];
  #warned = 0;

  constructor(
    readonly stream: { readonly name: string; readonly namespace: string | null },
    private readonly streamName: string,
    readonly schema: SchemaNode,
    private readonly segments: readonly Segment[],
    private readonly copy: "none" | "spread" | "assign",
    private readonly mode: RecordValidationMode,
    private readonly validator: RecordValidator | undefined,
  ) {
    this.isIdentity = segments.length === 0 && validator === undefined;
    this.isAsync = segments.some((segment) => segment.kind === "batch");
    const only = segments[0];
    this.#steps = !this.isAsync && only !== undefined && only.kind === "record" ? only.steps : [];
  }

  async ready(): Promise<MapperResult<void>> {
    for (const segment of this.segments) {
      if (segment.kind !== "batch") continue;
      const ready = await segment.run.ready();
      if (!ready.ok) return ready;
    }
    return { ok: true, value: undefined };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.segments.map((segment) => (segment.kind === "batch" ? segment.run.close() : undefined)),
    );
  }

  mapBatch(records: readonly AirbyteRecordMessage[]): MapBatchResult | Promise<MapBatchResult> {
    if (this.isIdentity)
      return { ok: true, value: { records, filtered: 0, invalid: 0, changes: 0, warnings: NO_WARNINGS } };
    if (this.isAsync) return this.#mapAsync(records);
    const steps = this.#steps;
    const stepCount = steps.length;
    const work = this.#work;
    const copy = this.copy;
    const out: AirbyteRecordMessage[] = [];
    const tally = new BatchTally();
    next: for (let i = 0; i < records.length; i++) {
      const record = records[i] as AirbyteRecordMessage;
      // A spread copies fastest, but adding a key to its result is slow in V8 (~1 µs): mappers
      // that add keys (rename, set) get an Object.assign copy, which takes new keys cheaply.
      const data = record.data;
      work.data = copy === "spread" ? { ...data } : copy === "assign" ? Object.assign({}, data) : data;
      work.changes = undefined;
      work.removed = false;
      for (let s = 0; s < stepCount; s++) {
        if (!(steps[s] as RecordStep)(work)) {
          tally.filtered++;
          continue next;
        }
      }
      if (work.removed) work.data = withoutRemoved(work.data);
      const finished = this.#finish(work.data, work.changes, tally);
      if (finished === false) continue;
      if (finished !== true) return finished;
      out.push(copy === "none" ? record : mappedRecord(record, work.data, work.changes));
    }
    return this.#result(out, tally);
  }

  async #mapAsync(records: readonly AirbyteRecordMessage[]): Promise<MapBatchResult> {
    let live: { record: AirbyteRecordMessage; work: RecordWork }[] = records.map((record) => ({
      record,
      work: { data: Object.assign({}, record.data), changes: undefined, removed: false } as RecordWork,
    }));
    const tally = new BatchTally();
    for (const segment of this.segments) {
      if (segment.kind === "record") {
        live = live.filter(({ work }) => {
          for (const step of segment.steps) if (!step(work)) return false;
          return true;
        });
      } else {
        const mapped = await segment.run.run(live.map(({ work }) => compacted(work)));
        if (!mapped.ok)
          return {
            ok: false,
            failure: { ...mapped.failure, message: `stream ${this.streamName}: ${mapped.failure.message}` },
          };
        const kept: typeof live = [];
        live.forEach((item, k) => {
          const data = mapped.value[k];
          if (data === null || data === undefined) return;
          item.work.data = data;
          kept.push(item);
        });
        live = kept;
      }
    }
    tally.filtered = records.length - live.length;
    const out: AirbyteRecordMessage[] = [];
    for (const { record, work } of live) {
      compacted(work);
      const finished = this.#finish(work.data, work.changes, tally);
      if (finished === false) continue;
      if (finished !== true) return finished;
      out.push(mappedRecord(record, work.data, work.changes));
    }
    return this.#result(out, tally);
  }

  /** Counts changes and validates: true keeps the record, false drops it, a result fails the batch. */
  #finish(data: RecordData, changes: MetaChange[] | undefined, tally: BatchTally): boolean | MapBatchResult {
    if (changes !== undefined) tally.changes += changes.length;
    const validator = this.validator;
    if (validator === undefined) return true;
    const problem = validator(data);
    if (problem === undefined) return true;
    tally.invalid++;
    if (this.mode === "fail") {
      return {
        ok: false,
        failure: {
          type: "config_error",
          message: `stream ${this.streamName}: a record does not match the stream's schema (validation: fail): ${problem}`,
        },
      };
    }
    if (this.#warned < MAX_WARNINGS) {
      this.#warned++;
      const action = this.mode === "skip" ? "skipped" : "passed on";
      const warnings = tally.warnings ?? [];
      tally.warnings = warnings;
      warnings.push(
        `stream ${this.streamName}: a record does not match the stream's schema (${action}): ${problem}`,
      );
    }
    return this.mode !== "skip";
  }

  #result(records: AirbyteRecordMessage[], tally: BatchTally): MapBatchResult {
    const { filtered, invalid, changes, warnings } = tally;
    return { ok: true, value: { records, filtered, invalid, changes, warnings: warnings ?? NO_WARNINGS } };
  }
}
