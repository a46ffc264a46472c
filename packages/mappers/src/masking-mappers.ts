import type { MaskMapperConfig, NullifyMapperConfig, RedactMapperConfig } from "./mapper-config.js";
import {
  type CompileOutcome,
  existingField,
  type MapperContext,
  NULLED,
  recordStep,
  valueStep,
} from "./mapper-step.js";
import { nullableNode, retypedNode } from "./stream-schema.js";

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Keeps the first and last characters (Unicode code points, so an emoji is never cut in half)
 * and replaces the rest. A value no longer than what would be kept is masked whole: a mask
 * never shows a short value in full.
 * Example: `maskText("0612345678", 0, 4, "*") // "******5678"`.
 */
export function maskText(text: string, first: number, last: number, char: string): string {
  if (!SURROGATE.test(text)) {
    const length = text.length;
    if (first + last >= length) return char.repeat(length);
    return text.slice(0, first) + char.repeat(length - first - last) + text.slice(length - last);
  }
  const chars = Array.from(text);
  const length = chars.length;
  if (first + last >= length) return char.repeat(length);
  return (
    chars.slice(0, first).join("") + char.repeat(length - first - last) + chars.slice(length - last).join("")
  );
}

/** `mask`: strings (and numbers and booleans, as text) keep their first / last N characters. */
export function compileMaskMapper(context: MapperContext, config: MaskMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const first = config.keep_first ?? 0;
  const last = config.keep_last ?? 0;
  const char = config.with ?? "*";
  context.schema.replace(field.path, retypedNode(field.node, "string", true));
  return recordStep(
    valueStep(field.access, (value) => {
      if (typeof value === "string") return maskText(value, first, last, char);
      // An object or a list has no characters to keep: it cannot be masked, only nulled.
      if (typeof value === "object") return NULLED;
      return maskText(String(value), first, last, char);
    }),
  );
}

const DEFAULT_REDACTION = "[redacted]";

/** `redact`: every non-null value becomes one fixed value. */
export function compileRedactMapper(context: MapperContext, config: RedactMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const value = config.value === undefined ? DEFAULT_REDACTION : config.value;
  const type =
    value === null ? "null" : typeof value === "number" && Number.isInteger(value) ? "integer" : typeof value;
  context.schema.replace(
    field.path,
    type === "null" ? { type: "null" } : retypedNode(field.node, type, false),
  );
  return recordStep(valueStep(field.access, () => value));
}

/** `nullify`: every value becomes null; the field stays, with a nullable type. */
export function compileNullifyMapper(context: MapperContext, config: NullifyMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  context.schema.replace(field.path, nullableNode(field.node));
  return recordStep(valueStep(field.access, () => null));
}
