import { DigestRandom, makeFake } from "./fake-values.js";
import { derivedKeyMac } from "./hmac-sha256.js";
import type { FakeKind, FakeMapperConfig } from "./mapper-config.js";
import {
  type CompileOutcome,
  existingField,
  type MapperContext,
  recordStep,
  valueStep,
  valueText,
} from "./mapper-step.js";
import { retypedNode, type SchemaNode, schemaTypes } from "./stream-schema.js";
import { ValueCache } from "./value-cache.js";

/**
 * A deterministic faker for one kind and key: the same value and key give the same fake, in any
 * stream, run or process. Example: `const fake = createFaker("email", key); fake("a@b.c")`.
 */
export function createFaker(kind: FakeKind, key: string): (value: unknown) => unknown {
  const mac = derivedKeyMac(key, `fake:${kind}`);
  const random = new DigestRandom();
  const cache = new ValueCache<unknown>();
  return (value) => {
    const text = valueText(value);
    // Numbers keep their JSON type through `number`, so their cache entries must not meet strings'.
    const cacheKey = kind === "number" && typeof value !== "number" ? `\u0000${text}` : text;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached;
    random.seed(mac(text));
    return cache.set(cacheKey, makeFake(kind, random, value, text));
  };
}

function fakeNode(kind: FakeKind, old: SchemaNode): SchemaNode {
  const types = schemaTypes(old);
  if (kind === "number" && (types?.has("integer") || types?.has("number"))) return old;
  if (kind === "date" && types?.has("string") && (old.format === "date" || old.format === "date-time"))
    return old;
  if (kind === "date") return retypedNode(old, "string", false, { format: "date" });
  return retypedNode(old, "string", false);
}

/** `fake`: replaces a value by a realistic fake of a kind, derived from the value and the key. */
export function compileFakeMapper(context: MapperContext, config: FakeMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const fake = createFaker(config.kind, config.key);
  context.schema.replace(field.path, fakeNode(config.kind, field.node));
  return recordStep(valueStep(field.access, fake));
}
