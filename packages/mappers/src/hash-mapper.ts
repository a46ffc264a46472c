import * as crypto from "node:crypto";
import { createHmacSha256, digestBase64, digestHex } from "./hmac-sha256.js";
import type { HashMapperConfig } from "./mapper-config.js";
import {
  type CompileOutcome,
  existingField,
  type MapperContext,
  recordStep,
  valueStep,
  valueText,
} from "./mapper-step.js";
import { retypedNode } from "./stream-schema.js";
import { ValueCache } from "./value-cache.js";

type Encoding = "hex" | "base64";

// crypto.hash (one call, no hash object) is Node 20.12+; older Nodes take the long way.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: Encoding) => string }).hash;

function plainHash(algorithm: string, encoding: Encoding): (text: string) => string {
  if (oneShot !== undefined) return (text) => oneShot(algorithm, text, encoding);
  return (text) => crypto.createHash(algorithm).update(text, "utf8").digest(encoding);
}

/**
 * `hash`: replaces a value by its HMAC-SHA-256 (keyed, the default) or plain digest, as hex or
 * base64 text. Strings are hashed as their UTF-8 bytes, other values as their JSON text, so the
 * number 42 and the string "42" hash alike and ids join across streams that type them apart.
 */
export function compileHashMapper(context: MapperContext, config: HashMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const algorithm = config.algorithm ?? "hmac-sha256";
  const encoding = config.encoding ?? "hex";
  let hash: (text: string) => string;
  if (algorithm === "hmac-sha256") {
    const mac = createHmacSha256(config.key ?? "");
    const encode = encoding === "hex" ? digestHex : digestBase64;
    hash = (text) => encode(mac(text));
  } else {
    hash = plainHash(algorithm === "sha1" ? "sha1" : algorithm, encoding);
  }
  context.schema.replace(field.path, retypedNode(field.node, "string", false));
  const cache = new ValueCache<string>();
  return recordStep(
    valueStep(field.access, (value) => {
      const text = valueText(value);
      return cache.get(text) ?? cache.set(text, hash(text));
    }),
  );
}
