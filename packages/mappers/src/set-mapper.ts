import { claimField } from "./field-mappers.js";
import { fieldAccess, fieldPathText, parseFieldPath, type RecordData } from "./field-path.js";
import { compilePredicate } from "./filter-predicate.js";
import type { SetMapperConfig } from "./mapper-config.js";
import {
  type CompileOutcome,
  configProblem,
  existingField,
  type MapperContext,
  recordStep,
  valueText,
} from "./mapper-step.js";
import { missingFieldMessage, type SchemaNode } from "./stream-schema.js";

type Compute = (data: RecordData) => unknown;

function constantNode(value: unknown): SchemaNode {
  if (value === null) return { type: "null" };
  if (Array.isArray(value)) return { type: "array" };
  if (typeof value === "number") return { type: Number.isInteger(value) ? "integer" : "number" };
  return { type: typeof value };
}

/** `{first_name} {last_name}` as literal parts and field getters; `{{` and `}}` are literal braces. */
function compileTemplate(
  context: MapperContext,
  template: string,
): { ok: true; value: Compute } | { ok: false; message: string } {
  const parts: (string | ((data: RecordData) => unknown))[] = [];
  let literal = "";
  for (let at = 0; at < template.length; at++) {
    const char = template[at];
    if ((char === "{" || char === "}") && template[at + 1] === char) {
      literal += char;
      at++;
    } else if (char === "{") {
      const close = template.indexOf("}", at);
      if (close < 0)
        return configProblem(
          context,
          `template: "{" at column ${at + 1} is never closed (write "{{" for a brace)`,
        );
      const name = template.slice(at + 1, close).trim();
      if (name === "") return configProblem(context, `template: empty "{}" at column ${at + 1}`);
      const path = parseFieldPath(name);
      const found = context.schema.find(path);
      if (!("node" in found))
        return { ok: false, message: missingFieldMessage(context.streamName, context.label, found) };
      if (literal !== "") parts.push(literal);
      literal = "";
      parts.push(fieldAccess(path).get);
      at = close;
    } else if (char === "}") {
      return configProblem(
        context,
        `template: "}" at column ${at + 1} closes nothing (write "}}" for a brace)`,
      );
    } else {
      literal += char;
    }
  }
  if (literal !== "") parts.push(literal);
  return {
    ok: true,
    value: (data) => {
      let out = "";
      for (const part of parts) {
        if (typeof part === "string") out += part;
        else {
          // A missing or null field reads as nothing, as in most template languages.
          const value = part(data);
          if (value != null) out += valueText(value);
        }
      }
      return out;
    },
  };
}

/** `set`: writes a constant, a copy of a field, a text made from fields, or a condition's truth. */
export function compileSetMapper(context: MapperContext, config: SetMapperConfig): CompileOutcome {
  const path = parseFieldPath(config.field);
  const text = fieldPathText(path);
  const existing = context.schema.find(path);
  if (!("node" in existing)) {
    const parent = context.schema.findParent(path);
    if (!("exists" in parent))
      return { ok: false, message: missingFieldMessage(context.streamName, context.label, parent) };
  }
  const claimed = claimField(context, text);
  if (!claimed.ok) return claimed;
  let compute: Compute;
  let node: SchemaNode;
  if (config.from !== undefined) {
    const source = existingField(context, config.from);
    if (!source.ok) return source;
    const get = source.access.get;
    compute = (data) => get(data) ?? null;
    node = structuredClone(source.node);
  } else if (config.template !== undefined) {
    const template = compileTemplate(context, config.template);
    if (!template.ok) return template;
    compute = template.value;
    node = { type: "string" };
  } else if (config.where !== undefined) {
    const predicate = compilePredicate(context, config.where);
    if (!predicate.ok) return predicate;
    compute = predicate.value;
    node = { type: "boolean" };
  } else {
    const value = config.value ?? null;
    compute = () => value;
    node = constantNode(value);
  }
  context.schema.put(path, node);
  const access = fieldAccess(path);
  return recordStep(
    (work) => {
      access.set(work.data, compute(work.data));
      return true;
    },
    { adds: true },
  );
}
