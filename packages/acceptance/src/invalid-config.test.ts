import { validateConfig } from "@weir/cdk";
import type { ConnectorSpecification } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { deriveInvalidConfig } from "./invalid-config.js";

const spec = (connectionSpecification: Record<string, unknown>): ConnectorSpecification => ({
  connectionSpecification,
});

describe("deriveInvalidConfig", () => {
  it("drops a required field that has no default", () => {
    const s = spec({
      type: "object",
      required: ["count", "host"],
      properties: { count: { type: "integer", default: 10 }, host: { type: "string" } },
    });
    const derived = deriveInvalidConfig(s, { count: 3, host: "db" });
    expect(derived).toEqual({ config: { count: 3 }, description: "without the required field host" });
    expect(validateConfig(s, derived?.config).ok).toBe(false);
  });

  it("gives a field a value of the wrong type when dropping would be filled back by a default", () => {
    const s = spec({
      type: "object",
      required: ["count"],
      properties: { count: { type: "integer", default: 10 } },
    });
    expect(deriveInvalidConfig(s, { count: 3 })).toEqual({
      config: { count: "not-a-valid-value" },
      description: 'with count set to a string ("not-a-valid-value")',
    });
  });

  it("tries the next wrong value when a field takes strings", () => {
    const s = spec({ type: "object", properties: { name: { type: "string" } } });
    expect(deriveInvalidConfig(s, { name: "x" })?.description).toBe("with name set to a number (12345.5)");
  });

  it("gives up when the spec accepts anything, or is not JSON Schema", () => {
    expect(deriveInvalidConfig(spec({ type: "object" }), { a: 1 })).toBeUndefined();
    expect(
      deriveInvalidConfig(spec({ type: "object", properties: { a: { type: "nope" } } }), { a: 1 }),
    ).toBeUndefined();
  });
});
