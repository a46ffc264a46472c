import { fieldPathText } from "./field-path.js";
import type { DropMapperConfig, RenameMapperConfig } from "./mapper-config.js";
import {
  type CompileOutcome,
  configProblem,
  existingField,
  type MapperContext,
  recordStep,
} from "./mapper-step.js";

/** `drop`: removes the field from records and from the schema. */
export function compileDropMapper(context: MapperContext, config: DropMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  context.schema.remove(field.path);
  context.produced.delete(field.access.text);
  const { access } = field;
  if (access.path.length === 1) {
    const name = access.path[0] as string;
    return recordStep((work) => {
      if (work.data[name] !== undefined) {
        work.data[name] = undefined;
        work.removed = true;
      }
      return true;
    });
  }
  return recordStep((work) => {
    if (access.get(work.data) !== undefined) access.remove(work.data);
    return true;
  });
}

/**
 * Claims a field name for a mapper that creates it. Two mappers creating the same field, or a
 * mapper creating one that already exists where it may not, is a config error.
 */
export function claimField(
  context: MapperContext,
  text: string,
): { ok: true } | { ok: false; message: string } {
  const earlier = context.produced.get(text);
  if (earlier !== undefined) return configProblem(context, `${earlier} already produces field "${text}"`);
  context.produced.set(text, context.label);
  return { ok: true };
}

/** `rename`: moves a field's value (and schema) to a new name in the same object. */
export function compileRenameMapper(context: MapperContext, config: RenameMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const target = [...field.path.slice(0, -1), config.to];
  const targetText = fieldPathText(target);
  if (targetText === field.access.text) return configProblem(context, `renames "${targetText}" to itself`);
  const claimed = claimField(context, targetText);
  if (!claimed.ok) return claimed;
  if ("node" in context.schema.find(target)) {
    return configProblem(
      context,
      `field "${targetText}" already exists in the stream's schema: drop it first, or rename it too`,
    );
  }
  context.schema.rename(field.path, config.to);
  context.produced.delete(field.access.text);
  const { access } = field;
  if (access.path.length === 1) {
    const from = access.path[0] as string;
    const to = config.to;
    return recordStep(
      (work) => {
        const data = work.data;
        const value = data[from];
        if (value === undefined) return true;
        data[from] = undefined;
        data[to] = value;
        work.removed = true;
        return true;
      },
      { adds: true },
    );
  }
  const last = config.to;
  const parentPath = access.path.slice(0, -1);
  return recordStep(
    (work) => {
      const value = access.get(work.data);
      if (value === undefined) return true;
      access.remove(work.data);
      let parent: unknown = work.data;
      for (const name of parentPath) parent = (parent as Record<string, unknown>)[name];
      (parent as Record<string, unknown>)[last] = value;
      return true;
    },
    { adds: true },
  );
}
