import type { MapperConfig } from "@weir/mappers";
import { describe, expect, it } from "vitest";
import type { CatalogColumn, CatalogConstraint, CatalogTable } from "./catalog-types.js";
import { propagateMasking } from "./mask-propagation.js";

const column = (name: string): CatalogColumn => ({
  name,
  attnum: 1,
  type: "text",
  typeOid: 25,
  baseType: "text",
  baseTypeOid: 25,
  category: "S",
  notNull: false,
  defaultExpression: undefined,
  identity: "",
  generated: "",
  generationExpression: undefined,
  collation: undefined,
  comment: undefined,
});

let nextOid = 1000;
function table(
  name: string,
  columns: string[],
  fks: { columns: string[]; to: CatalogTable; refColumns: string[] }[] = [],
): CatalogTable {
  const constraints: CatalogConstraint[] = fks.map((fk, i) => ({
    oid: nextOid++,
    name: `${name}_fk${i}`,
    type: "f",
    definition: "",
    validated: true,
    deferrable: false,
    deferred: false,
    indexOid: undefined,
    columns: fk.columns,
    references: { tableOid: fk.to.oid, columns: fk.refColumns },
    comment: undefined,
  }));
  return {
    oid: nextOid++,
    schema: "public",
    name,
    unlogged: false,
    options: null,
    estimatedRows: 0,
    bytes: 0,
    pages: 0,
    comment: undefined,
    columns: columns.map(column),
    constraints,
    indexes: [],
    triggers: [],
    inherits: [],
  };
}

const fksOf = (tables: CatalogTable[]) =>
  tables.flatMap((t) =>
    t.constraints.filter((c) => c.type === "f").map((c) => ({ table: t, constraintOid: c.oid })),
  );

const hash: MapperConfig = { type: "hash", field: "email", key: "k" };

describe("propagateMasking", () => {
  const customers = table("customers", ["email", "name"]);
  const orders = table(
    "orders",
    ["id", "customer_email"],
    [{ columns: ["customer_email"], to: customers, refColumns: ["email"] }],
  );
  const lines = table(
    "lines",
    ["order_email"],
    [{ columns: ["order_email"], to: orders, refColumns: ["customer_email"] }],
  );
  const tables = [customers, orders, lines];

  it("gives a masked key's mappers to every column referencing it, through chains of foreign keys", () => {
    const result = propagateMasking(tables, new Map([[customers.oid, [hash]]]), fksOf(tables));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.mappers.get(orders.oid)).toEqual([{ ...hash, field: "customer_email" }]);
    expect(result.value.mappers.get(lines.oid)).toEqual([{ ...hash, field: "order_email" }]);
    expect(result.value.columns.get(lines.oid)).toEqual([
      { column: "order_email", mappers: [{ ...hash, field: "order_email" }], from: "public.customers.email" },
    ]);
  });

  it("refuses a mapper that does not give the same output for the same input on a referenced key", () => {
    const encrypt: MapperConfig = { type: "encrypt", field: "email", key: "a".repeat(64) };
    const result = propagateMasking(tables, new Map([[customers.oid, [encrypt]]]), fksOf(tables));
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining("mapper 1 (encrypt) gives a different output every time"),
    });
  });

  it("refuses a referencing column masked on its own", () => {
    const result = propagateMasking(
      tables,
      new Map([[orders.oid, [{ type: "hash", field: "customer_email", key: "k" } as MapperConfig]]]),
      fksOf(tables),
    );
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining("mask public.customers.email instead"),
    });
  });

  it("leaves tables without masked keys alone", () => {
    const result = propagateMasking(
      tables,
      new Map([[customers.oid, [{ type: "mask", field: "name" } as MapperConfig]]]),
      fksOf(tables),
    );
    expect(result.ok && result.value.mappers.has(orders.oid)).toBe(false);
  });
});
