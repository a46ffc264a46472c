import { createAesGcmCipher, parseAesKey } from "./aes-gcm-cipher.js";
import type { DecryptMapperConfig, EncryptMapperConfig } from "./mapper-config.js";
import {
  type CompileOutcome,
  existingField,
  type MapperContext,
  NULLED,
  recordStep,
  valueStep,
} from "./mapper-step.js";
import { retypedNode } from "./stream-schema.js";

function cipherFor(key: string) {
  const bytes = parseAesKey(key);
  // The config schema has checked the key already; this is a bug if it happens.
  if (bytes === undefined) throw new Error("encrypt/decrypt: the key was not validated");
  return createAesGcmCipher(bytes);
}

/** `encrypt`: AES-256-GCM, a fresh random nonce per value; any JSON value becomes a base64 text. */
export function compileEncryptMapper(context: MapperContext, config: EncryptMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const cipher = cipherFor(config.key);
  context.schema.replace(field.path, retypedNode(field.node, "string", false));
  return recordStep(valueStep(field.access, (value) => cipher.encrypt(value)));
}

/** `decrypt`: the inverse of `encrypt` with the same key; a value that does not decrypt becomes null, recorded. */
export function compileDecryptMapper(context: MapperContext, config: DecryptMapperConfig): CompileOutcome {
  const field = existingField(context, config.field);
  if (!field.ok) return field;
  const cipher = cipherFor(config.key);
  context.schema.replace(field.path, config.json_schema ?? retypedNode(field.node, "string", true));
  return recordStep(
    valueStep(field.access, (value) => {
      if (typeof value !== "string") return NULLED;
      const plain = cipher.decrypt(value);
      return plain === undefined ? NULLED : plain.value;
    }),
  );
}
