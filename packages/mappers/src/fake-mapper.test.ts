import { describe, expect, it } from "vitest";
import { createFaker } from "./fake-mapper.js";
import { MAX_FAKE_TEXT_LENGTH } from "./fake-values.js";
import type { FakeKind } from "./mapper-config.js";
import { compiled, KEY, mapData, mapRecord, mapSync, userRecord } from "./test-fixtures/users-stream.js";

const luhnValid = (digits: string) => {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
};

const ibanValid = (iban: string) => {
  const compact = iban.replace(/\s/g, "");
  const moved = compact.slice(4) + compact.slice(0, 4);
  const numeric = [...moved].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join("");
  return BigInt(numeric) % 97n === 1n;
};

const SHAPES: Record<FakeKind, [input: unknown, shape: RegExp]> = {
  first_name: ["Alice", /^[A-Z][a-z]+$/],
  last_name: ["Martin", /^[A-Z][a-z]+$/],
  full_name: ["Alice Martin", /^[A-Z][a-z]+ [A-Z][a-z]+$/],
  username: ["alice_m", /^[a-z]+[._]?[a-z]+\d{1,3}$/],
  email: ["alice@example.com", /^[a-z]+\.[a-z]+\d+@example\.(com|org|net)$/],
  phone: ["+31 6 1234 5678", /^\+31 \d \d{4} \d{4}$/],
  street_address: ["Oudegracht 1", /^\d+ [A-Z][a-z]+ [A-Z][a-z]+$/],
  city: ["Utrecht", /^[A-Z][a-z]+( [A-Z][a-z]+)?$/],
  postcode: ["3511 AB", /^\d{4} [A-Z]{2}$/],
  country: ["Netherlands", /^[A-Z][a-z]+( [A-Z][a-z]+)?$/],
  company: ["Acme Corp", /^[A-Z][A-Za-z ]+ [A-Z][a-z]+$/],
  iban: ["NL91 ABNA 0417 1643 00", /^NL\d{2} [A-Z]{4} \d{4} \d{4} \d{2}$/],
  credit_card: ["4111-1111-1111-1111", /^4\d{3}-\d{4}-\d{4}-\d{4}$/],
  ipv4: ["10.1.2.3", /^(\d{1,3}\.){3}\d{1,3}$/],
  uuid: [
    "c0ffee00-0000-4000-8000-000000000000",
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  ],
  date: ["1984-02-29", /^\d{4}-\d{2}-\d{2}$/],
  number: [1234.56, /^\d{4}\.\d{1,2}$/],
  text: ["hello world", /^[a-z ]{11}$/],
};

describe("fake", () => {
  it.each(Object.entries(SHAPES))("makes a realistic %s", (kind, [input, shape]) => {
    const fake = createFaker(kind as FakeKind, KEY);
    const made = fake(input);
    expect(String(made)).toMatch(shape);
    expect(made).not.toEqual(input);
    // Deterministic: the same input and key give the same fake, in a fresh faker too.
    expect(createFaker(kind as FakeKind, KEY)(input)).toEqual(made);
  });

  it("gives the same fakes as every earlier version: the vocabularies and the derivation are part of the format", () => {
    const pinned: [FakeKind, unknown, unknown][] = [
      ["full_name", "Alice Martin", "Bruno Santos"],
      ["email", "alice@example.com", "alejandro.suzuki461856@example.com"],
      ["phone", "+31 6 1234 5678", "+31 1 9887 6242"],
      ["iban", "NL91 ABNA 0417 1643 00", "NL55 NCTK 0812 8432 74"],
      ["credit_card", "4111-1111-1111-1111", "4991-5987-1095-2157"],
      ["uuid", 42, "e57393af-bae1-4192-908f-8005ead923ab"],
      ["date", "1984-02-29", "1942-01-11"],
      ["number", 1234.56, 7090.19],
      ["text", "hello world", "ut minim ve"],
    ];
    for (const [kind, input, expected] of pinned)
      expect(createFaker(kind, KEY)(input), kind).toEqual(expected);
  });

  it("spreads different inputs over different fakes, and different keys give different fakes", () => {
    const fake = createFaker("email", KEY);
    const made = new Set(Array.from({ length: 1000 }, (_, i) => fake(`user${i}@example.com`)));
    expect(made.size).toBeGreaterThan(990);
    const other = createFaker("email", "another key");
    const differing = Array.from({ length: 50 }, (_, i) => `u${i}`).filter((v) => other(v) !== fake(v));
    expect(differing.length).toBeGreaterThan(45);
  });

  it("makes valid check digits: Luhn for cards, mod 97 for IBANs", () => {
    const card = createFaker("credit_card", KEY);
    const iban = createFaker("iban", KEY);
    for (let i = 0; i < 200; i++) {
      expect(luhnValid(String(card(`4000 0000 0000 ${String(i).padStart(4, "0")}`)).replace(/\D/g, ""))).toBe(
        true,
      );
      expect(luhnValid(String(card(i)))).toBe(true);
      expect(ibanValid(String(iban(`DE89370400440532013${String(i).padStart(3, "0")}`)))).toBe(true);
      expect(ibanValid(String(iban(`not an iban ${i}`)))).toBe(true);
    }
  });

  it("keeps a number's type and shape, and a timestamp's time", () => {
    const number = createFaker("number", KEY);
    expect(number(-42)).toBeLessThan(0);
    expect(String(Math.abs(number(-42) as number))).toMatch(/^\d{2}$/);
    expect(Number.isInteger(number(1000))).toBe(true);
    expect(typeof number("12ab")).toBe("string");
    // Text keeps its pattern of digits and letters, however long, emoji untouched.
    const long = String(number(`Ab1-😀 ${"12ab".repeat(3000)}`));
    expect(long).toHaveLength(12_007);
    expect(long).toMatch(/^[A-Z][a-z]\d-😀 ([0-9]{2}[a-z]{2}){3000}$/);
    expect(createFaker("date", KEY)("2024-05-17T13:45:12Z")).toMatch(/^\d{4}-\d{2}-\d{2}T13:45:12Z$/);
  });

  it("makes text of the same length in characters, emoji counting as one", () => {
    const text = createFaker("text", KEY);
    expect([...String(text("😀😀😀"))]).toHaveLength(3);
    expect(String(text("x".repeat(500)))).toHaveLength(500);
    expect(text("a\uD800b")).toHaveLength(3);
  });

  it("cuts very long text at the limit and records the truncation", () => {
    const record = mapRecord([{ type: "fake", field: "name", kind: "text", key: KEY }], {
      name: "x".repeat(50_000),
    });
    expect(record?.data.name).toHaveLength(MAX_FAKE_TEXT_LENGTH);
    expect(record?.meta?.changes).toEqual([
      { field: "name", change: "TRUNCATED", reason: "PLATFORM_FIELD_SIZE_LIMITATION" },
    ]);
  });

  it("fakes any value type (the JSON text of objects) and leaves null alone", () => {
    const mappers = [{ type: "fake", field: "name", kind: "full_name", key: KEY }];
    expect(mapData(mappers, { name: 12 })?.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(mapData(mappers, { name: { first: "A" } })?.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(mapData(mappers, { name: null })?.name).toBeNull();
  });

  it("is the same across streams, so a faked id still joins", () => {
    const users = compiled([{ type: "fake", field: "id", kind: "uuid", key: KEY }]);
    const orders = compiled([{ type: "fake", field: "user_id", kind: "uuid", key: KEY }], {
      stream: "orders",
      schema: { type: "object", properties: { user_id: { type: "integer" } } },
    });
    const user = mapSync(users, [userRecord({ id: 9 })]).records[0]?.data.id;
    const order = mapSync(orders, [{ stream: "orders", emitted_at: 1, data: { user_id: 9 } }]).records[0]
      ?.data.user_id;
    expect(order).toBe(user);
  });

  it("retypes the schema to what the fakes are", () => {
    const { schema } = compiled([
      { type: "fake", field: "id", kind: "uuid", key: KEY },
      { type: "fake", field: "weight", kind: "number", key: KEY },
      { type: "fake", field: "birthday", kind: "date", key: KEY },
      { type: "fake", field: "age", kind: "date", key: KEY },
    ]);
    const properties = schema.properties as Record<string, unknown>;
    expect(properties.id).toEqual({ type: "string" });
    expect(properties.weight).toEqual({ type: "number" });
    expect(properties.birthday).toEqual({ type: "string", format: "date" });
    expect(properties.age).toEqual({ type: "string", format: "date" });
  });
});
