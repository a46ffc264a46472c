import { randomBytes } from "node:crypto";
import type { ConnectorSpecification } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { keepMaskedSecrets, maskConfig, mergeConfig, openConfig, sealConfig } from "./config-secrets.js";
import { createSecretBox } from "./secret-box.js";

const spec: ConnectorSpecification = {
  connectionSpecification: {
    type: "object",
    properties: {
      host: { type: "string" },
      password: { type: "string", airbyte_secret: true },
      tunnel: {
        oneOf: [
          { type: "object", properties: { method: { const: "none" } } },
          {
            type: "object",
            properties: { method: { const: "key" }, key: { type: "string", airbyte_secret: true } },
          },
        ],
      },
    },
  },
};

describe("config secrets", () => {
  const box = createSecretBox(randomBytes(32));
  const config = { host: "db", password: "hunter22", tunnel: { method: "key", key: "-----KEY-----" } };

  it("seals secrets at any depth (oneOf included), opens them back, masks them", () => {
    const sealed = sealConfig(spec, config, box);
    const text = JSON.stringify(sealed);
    expect(text).not.toContain("hunter22");
    expect(text).not.toContain("-----KEY-----");
    expect(text).toContain('"host":"db"');
    expect(openConfig(sealed, box)).toEqual(config);
    expect(maskConfig(sealed)).toEqual({
      host: "db",
      password: "**********",
      tunnel: { method: "key", key: "**********" },
    });
  });

  it("uses a fresh nonce per value and rejects a tampered value", () => {
    expect(box.seal("x")).not.toBe(box.seal("x"));
    const sealed = box.seal("hunter22");
    const tampered = `${sealed.slice(0, -4)}AAAA`;
    expect(() => box.open(tampered)).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it("keeps stored secrets when the mask comes back, and merges patches like Airbyte", () => {
    const incoming = { host: "db2", password: "**********", tunnel: { method: "key", key: "new-key" } };
    expect(keepMaskedSecrets(spec, incoming, config)).toEqual({
      host: "db2",
      password: "hunter22",
      tunnel: { method: "key", key: "new-key" },
    });
    expect(mergeConfig({ a: { b: 1, c: 2 }, list: [1, 2] }, { a: { c: 3 }, list: [3] })).toEqual({
      a: { b: 1, c: 3 },
      list: [3],
    });
  });
});
