import type { AirbyteRecordMessageMetaChange } from "@weir/protocol";
import {
  type FieldAccess,
  type FieldPath,
  fieldAccess,
  parseFieldPath,
  type RecordData,
} from "./field-path.js";
import type { FieldPathConfig } from "./mapper-config.js";
import { missingFieldMessage, type SchemaNode, type StreamSchemaEditor } from "./stream-schema.js";

/** One entry of a record's `meta.changes`. */
export type MetaChange = AirbyteRecordMessageMetaChange;

/** One record on its way through a stream's mappers: its own copy of the data, and what had to change. */
export interface RecordWork {
  data: RecordData;
  changes: MetaChange[] | undefined;
  /**
   * Set when a top-level field was removed. Removal writes undefined (which every mapper reads
   * as absent) and the record's object is rebuilt without those keys once, at the end: a
   * `delete` would turn the object into a slow dictionary for everything that follows.
   */
  removed: boolean;
}

/** The data without the keys whose value is undefined (the removed fields). */
export function withoutRemoved(data: RecordData): RecordData {
  const out: RecordData = {};
  for (const key in data) {
    const value = data[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A compiled mapper applied to one record; false drops the record (a filter). */
export type RecordStep = (work: RecordWork) => boolean;

/** Returned by a value transform that cannot map a value: it becomes null, recorded as NULLED. */
export const NULLED: unique symbol = Symbol("nulled");

/** Returned by a value transform that had to shorten a value, recorded as TRUNCATED. */
export class Truncated {
  constructor(readonly value: unknown) {}
}

/** Maps one non-null value. */
export type ValueTransform = (value: unknown) => unknown;

export function noteChange(
  work: RecordWork,
  field: string,
  change: MetaChange["change"],
  reason: MetaChange["reason"],
) {
  const entry: MetaChange = { field, change, reason };
  if (work.changes === undefined) work.changes = [entry];
  else work.changes.push(entry);
}

// Airbyte's own mappers record a value they could not map as NULLED with this reason; the
// protocol has no closer one. Values shortened to a size limit use the field size reason.
const UNMAPPABLE = "PLATFORM_SERIALIZATION_ERROR";
const TOO_LONG = "PLATFORM_FIELD_SIZE_LIMITATION";

function applied(work: RecordWork, text: string, out: unknown): unknown {
  if (out === NULLED) {
    noteChange(work, text, "NULLED", UNMAPPABLE);
    return null;
  }
  if (out instanceof Truncated) {
    noteChange(work, text, "TRUNCATED", TOO_LONG);
    return out.value;
  }
  return out;
}

/**
 * A step that maps one field's value. Absent fields and null values are left as they are;
 * a value the transform cannot map becomes null and is recorded in the record's changes.
 * Example: `valueStep(fieldAccess(["email"]), (v) => String(v).toLowerCase())`.
 */
export function valueStep(access: FieldAccess, transform: ValueTransform): RecordStep {
  const { text } = access;
  if (access.path.length === 1) {
    const name = access.path[0] as string;
    return (work) => {
      const data = work.data;
      const value = data[name];
      if (value === undefined || value === null) return true;
      const out = transform(value);
      data[name] = typeof out === "object" || typeof out === "symbol" ? applied(work, text, out) : out;
      return true;
    };
  }
  return (work) => {
    const value = access.get(work.data);
    if (value === undefined || value === null) return true;
    access.set(work.data, applied(work, text, transform(value)));
    return true;
  };
}

/** The text a value is hashed, faked or masked as: strings as they are, anything else as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * A compiled mapper: a step per record, or a JavaScript function that runs on whole batches.
 * `mutates`: it changes data (a filter does not); `adds`: it may add top-level keys.
 */
export type CompiledMapper =
  | { readonly kind: "record"; readonly step: RecordStep; readonly mutates: boolean; readonly adds: boolean }
  | { readonly kind: "batch"; readonly run: BatchStep };

/** A mapper run on a batch in another thread: data in, data out (null: drop the record). */
export interface BatchStep {
  ready(): Promise<StepResult<void>>;
  run(data: readonly RecordData[]): Promise<StepResult<(RecordData | null)[]>>;
  close(): Promise<void>;
}

export type StepResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly failure: { readonly type: "config_error" | "system_error"; readonly message: string };
    };

/** What compiling one mapper may look at and change. */
export interface MapperContext {
  /** The stream as users name it: `users`, or `public.users`. */
  readonly streamName: string;
  /** The mapper as messages name it: `mapper 2 (hash)`. */
  readonly label: string;
  readonly schema: StreamSchemaEditor;
  /** Fields created by an earlier mapper (rename, set), by path text: a second one is an error. */
  readonly produced: Map<string, string>;
  /** Relative module paths are resolved from here. */
  readonly baseDirectory: string;
}

export type CompileOutcome = { ok: true; value: CompiledMapper } | { ok: false; message: string };

/** A field a mapper names, found in the schema, or the config error naming stream, mapper and field. */
export function existingField(
  context: MapperContext,
  config: FieldPathConfig,
): { ok: true; path: FieldPath; access: FieldAccess; node: SchemaNode } | { ok: false; message: string } {
  const path = parseFieldPath(config);
  const found = context.schema.find(path);
  if (!("node" in found)) {
    return { ok: false, message: missingFieldMessage(context.streamName, context.label, found) };
  }
  return { ok: true, path, access: fieldAccess(path), node: found.node };
}

/** A compile failure naming stream and mapper. */
export function configProblem(context: MapperContext, problem: string): { ok: false; message: string } {
  return { ok: false, message: `stream ${context.streamName}: ${context.label}: ${problem}` };
}

export const recordStep = (
  step: RecordStep,
  options: { mutates?: boolean; adds?: boolean } = {},
): CompileOutcome => ({
  ok: true,
  value: { kind: "record", step, mutates: options.mutates ?? true, adds: options.adds ?? false },
});
