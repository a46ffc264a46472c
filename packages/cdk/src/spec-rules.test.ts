import { describe, expect, it } from "vitest";
import {
  additionalPropertiesProblems,
  enumProblems,
  oneOfProblems,
  refProblems,
  secretProblems,
  typeListProblems,
} from "./spec-rules.js";

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "object",
  properties,
  ...extra,
});

describe("secretProblems", () => {
  it("wants secret-named fields marked, inside oneOf variants and arrays too", () => {
    const schema = object({
      host: { type: "string" },
      Password: { type: "string" },
      api_key: { type: "string", airbyte_secret: true },
      credentials: {
        type: "object",
        oneOf: [object({ auth: { const: "token" }, token: { type: "string" } })],
      },
      tunnels: { type: "array", items: object({ private_key: { type: "string" } }) },
    });
    expect(secretProblems(schema)).toEqual([
      "Password: looks like a secret but is not marked airbyte_secret",
      "credentials.oneOf[0].token: looks like a secret but is not marked airbyte_secret",
      "tunnels[].private_key: looks like a secret but is not marked airbyte_secret",
    ]);
  });

  it("refuses the mark on what cannot hold a secret, and leaves a const or an object named credentials alone", () => {
    const schema = object({
      credentials: object({ user: { type: "string" } }),
      password: { type: "string", const: "none" },
      ssl: { type: "boolean", airbyte_secret: true },
      mode: { const: "x", airbyte_secret: true },
      token: { airbyte_secret: true },
    });
    expect(secretProblems(schema)).toEqual([
      "ssl: is marked airbyte_secret but is of type boolean, which cannot hold a secret",
      "mode: is marked airbyte_secret but is a const, which cannot hold a secret",
    ]);
  });
});

describe("the other spec conventions", () => {
  it("finds $ref anywhere but in a property called $ref", () => {
    expect(refProblems(object({ a: { $ref: "#/x" }, $ref: { type: "string" } }))).toEqual([
      'a: uses $ref "#/x"',
    ]);
  });

  it("wants additionalProperties true in specs, and only not false in stream schemas", () => {
    const schema = object(
      { tags: { type: "object", additionalProperties: { type: "string" } } },
      { additionalProperties: false },
    );
    expect(additionalPropertiesProblems(schema, true)).toEqual([
      "(root): additionalProperties is false, it must be true",
      'tags: additionalProperties is {"type":"string"}, it must be true',
    ]);
    expect(additionalPropertiesProblems(schema, false)).toEqual([
      "(root): additionalProperties is false, it must be true",
    ]);
  });

  it("finds an enum value listed twice", () => {
    expect(enumProblems(object({ mode: { enum: ["a", { b: 1 }, "a", { b: 1 }] } }))).toEqual([
      'mode: enum lists "a" twice',
      'mode: enum lists {"b":1} twice',
    ]);
  });

  it("allows [t] and [t, null] type lists only", () => {
    const schema = object({
      a: { type: ["string"] },
      b: { type: ["null", "string"] },
      c: { type: ["string", "integer"] },
    });
    expect(typeListProblems(schema)).toEqual(['c: type ["string","integer"] is a union Airbyte cannot show']);
  });

  it("wants oneOf on an object, variants with properties and one const discriminator matching its default", () => {
    const good = object({
      auth: {
        type: "object",
        oneOf: [
          object({ method: { const: "key", default: "key" }, key: { type: "string", airbyte_secret: true } }),
          object({ method: { const: "none", enum: ["none"] } }),
        ],
      },
    });
    expect(oneOfProblems(good)).toEqual([]);
    const bad = object({
      a: { oneOf: [object({ m: { const: 1 } })] },
      b: { type: "object", oneOf: [object({ m: { const: 1 } }), { type: "object" }] },
      c: { type: "object", oneOf: [object({ x: { const: 1 } }), object({ y: { const: 2 } })] },
      d: {
        type: "object",
        oneOf: [object({ m: { const: 1, default: 2 } }), object({ m: { const: 3, enum: [3, 4] } })],
      },
    });
    expect(oneOfProblems(bad)).toEqual([
      "a.oneOf: the field holding it must have type object",
      "b.oneOf: every variant must have properties",
      "c.oneOf: the variants share no property to tell them apart",
      "d.oneOf[0].m: its default differs from its const",
      "d.oneOf[1].m: its enum must be exactly [const]",
    ]);
  });
});
