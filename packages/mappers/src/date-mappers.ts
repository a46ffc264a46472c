import { shiftDateText, truncateDateText } from "./date-text.js";
import { fieldAccess, parseFieldPath, type RecordData } from "./field-path.js";
import { derivedKeyMac } from "./hmac-sha256.js";
import type { RoundMapperConfig, ShiftDateMapperConfig } from "./mapper-config.js";
import {
  type CompileOutcome,
  configProblem,
  existingField,
  type MapperContext,
  NULLED,
  noteChange,
  recordStep,
  valueStep,
  valueText,
} from "./mapper-step.js";
import { nullableNode, schemaTypes } from "./stream-schema.js";
import { ValueCache } from "./value-cache.js";

/**
 * The offset in days, from 1 to `maxDays` either way (never 0), derived from a seed text and
 * the key. Example: `const offset = createDayOffset("key", 30); offset("42") // e.g. -17`.
 */
export function createDayOffset(key: string, maxDays: number): (seed: string) => number {
  const mac = derivedKeyMac(key, "shift_date");
  const cache = new ValueCache<number>();
  return (seed) => {
    const cached = cache.get(seed);
    if (cached !== undefined) return cached;
    const draw = (mac(seed)[0] as number) >>> 0;
    const step = (draw % (2 * maxDays)) - maxDays;
    return cache.set(seed, step >= 0 ? step + 1 : step);
  };
}

/**
 * `shift_date`: moves dates and timestamps by a deterministic number of days, derived from the
 * day itself (so all times of one day move together and keep their order), or from another
 * field (`by: user_id`) so that all dates of one entity move together and the intervals
 * between them survive.
 */
export function compileShiftDateMapper(
  context: MapperContext,
  config: ShiftDateMapperConfig,
): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const types = schemaTypes(field.node);
  if (types !== undefined && !types.has("string")) {
    return configProblem(
      context,
      `shift_date needs a date or timestamp (string) field; "${field.access.text}" is ${[...types].join(" or ")}`,
    );
  }
  let by: ((data: RecordData) => unknown) | undefined;
  if (config.by !== undefined) {
    const byPath = parseFieldPath(config.by);
    const found = existingField(context, config.by);
    if (!found.ok) return found;
    by = fieldAccess(byPath).get;
  }
  const offset = createDayOffset(config.key, config.max_days);
  context.schema.replace(field.path, nullableNode(field.node));
  const { access } = field;
  const { text } = access;
  return recordStep((work) => {
    const data = work.data;
    const value = access.get(data);
    if (value === undefined || value === null) return true;
    if (typeof value !== "string") {
      access.set(data, null);
      noteChange(work, text, "NULLED", "PLATFORM_SERIALIZATION_ERROR");
      return true;
    }
    const seed = by?.(data);
    const shifted = shiftDateText(value, offset(seed == null ? value.slice(0, 10) : valueText(seed)));
    if (shifted === undefined) {
      access.set(data, null);
      noteChange(work, text, "NULLED", "PLATFORM_SERIALIZATION_ERROR");
    } else {
      access.set(data, shifted);
    }
    return true;
  });
}

/**
 * Rounds half away from zero to `precision` decimals (negative: tens, hundreds…), correcting
 * the binary error of x·10^p so that 1.005 rounds to 1.01. Example: `roundNumber(1234, -2) // 1200`.
 */
export function roundNumber(value: number, precision: number): number {
  const magnitude = Math.abs(value);
  let rounded: number;
  if (precision >= 0) {
    const factor = 10 ** precision;
    rounded = Math.round(magnitude * factor * (1 + Number.EPSILON)) / factor;
  } else {
    const step = 10 ** -precision;
    rounded = Math.round((magnitude / step) * (1 + Number.EPSILON)) * step;
  }
  return value < 0 ? -rounded : rounded;
}

/** `round`: numbers to a precision, dates and timestamps down to a unit. */
export function compileRoundMapper(context: MapperContext, config: RoundMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const types = schemaTypes(field.node);
  const { unit } = config;
  const { access } = field;
  if (unit !== undefined) {
    if (types !== undefined && !types.has("string")) {
      return configProblem(
        context,
        `round with unit needs a date or timestamp field; "${access.text}" is ${[...types].join(" or ")}`,
      );
    }
    context.schema.replace(field.path, nullableNode(field.node));
    return recordStep(
      valueStep(access, (value) =>
        typeof value === "string" ? (truncateDateText(value, unit) ?? NULLED) : NULLED,
      ),
    );
  }
  if (types !== undefined && !types.has("number") && !types.has("integer")) {
    return configProblem(
      context,
      `round with precision needs a number field ("${access.text}" is ${[...types].join(" or ")}); dates take unit: day, month…`,
    );
  }
  const precision = config.precision ?? 0;
  // Rounded numbers keep their type (an integer rounded to tens is still an integer); values
  // that are not numbers become null.
  context.schema.replace(field.path, nullableNode(field.node));
  return recordStep(
    valueStep(access, (value) =>
      typeof value === "number" && Number.isFinite(value) ? roundNumber(value, precision) : NULLED,
    ),
  );
}
