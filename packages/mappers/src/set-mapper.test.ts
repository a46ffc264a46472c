import { describe, expect, it } from "vitest";
import { compiled, compileError, KEY, mapData } from "./test-fixtures/users-stream.js";

describe("set", () => {
  it("adds or overwrites a field with a constant", () => {
    expect(mapData([{ type: "set", field: "source", value: "prod" }])?.source).toBe("prod");
    expect(mapData([{ type: "set", field: "age", value: 0 }])?.age).toBe(0);
    expect(mapData([{ type: "set", field: "address.country", value: "NL" }])?.address).toEqual({
      city: "Utrecht",
      street: "Oudegracht 1",
      country: "NL",
    });
    const properties = compiled([
      { type: "set", field: "source", value: "prod" },
      { type: "set", field: "n", value: 1.5 },
      { type: "set", field: "flags", value: [1] },
      { type: "set", field: "nothing", value: null },
    ]).schema.properties as Record<string, unknown>;
    expect([properties.source, properties.n, properties.flags, properties.nothing]).toEqual([
      { type: "string" },
      { type: "number" },
      { type: "array" },
      { type: "null" },
    ]);
  });

  it("copies a field (before it is hashed, for instance)", () => {
    const data = mapData([
      { type: "set", field: "email_domain_source", from: "email" },
      { type: "hash", field: "email", key: KEY },
    ]);
    expect(data?.email_domain_source).toBe("alice@example.com");
    expect(
      mapData([{ type: "set", field: "copy", from: "address.city" }], { address: null })?.copy,
    ).toBeNull();
  });

  it("builds text from fields with a template", () => {
    const mappers = [{ type: "set", field: "label", template: "{name} <{email}> {{{age}}} {telephone}" }];
    expect(mapData(mappers)?.label).toBe("Alice Martin <alice@example.com> {40} +31 6 1234 5678");
    expect(mapData(mappers, { telephone: null })?.label).toBe("Alice Martin <alice@example.com> {40} ");
    expect((compiled(mappers).schema.properties as { label: unknown }).label).toEqual({ type: "string" });
  });

  it("stores a condition's truth", () => {
    const mappers = [{ type: "set", field: "senior", where: "age >= 65" }];
    expect(mapData(mappers)?.senior).toBe(false);
    expect(mapData(mappers, { age: 70 })?.senior).toBe(true);
  });

  it("refuses unknown fields, broken templates and a second mapper producing the same field", () => {
    expect(compileError([{ type: "set", field: "x", template: "{nmae}" }])).toContain(
      'field "nmae" is not in the stream\'s schema',
    );
    expect(compileError([{ type: "set", field: "x", template: "a {name" }])).toContain(
      '"{" at column 3 is never closed',
    );
    expect(compileError([{ type: "set", field: "x", template: "a } b" }])).toContain(
      '"}" at column 3 closes nothing',
    );
    expect(compileError([{ type: "set", field: "x", from: "nope" }])).toContain('field "nope"');
    expect(compileError([{ type: "set", field: "nope.x", value: 1 }])).toContain(
      'field "nope" is not in the stream\'s schema',
    );
    expect(
      compileError([
        { type: "set", field: "x", value: 1 },
        { type: "set", field: "x", value: 2 },
      ]),
    ).toBe('stream users: mapper 2 (set): mapper 1 (set) already produces field "x"');
  });
});
