import { createTestDatabase, probePostgres, type TestDatabase } from "@weir/postgres-connection/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneBetween, freshDestination, tableChecksum } from "./clone-test-databases.js";
import { runClone } from "./postgres-clone.js";

const server = await probePostgres();
const KEY = "test-key-not-secret";

const SHOP = `
  CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL);
  CREATE TABLE accounts (
    email text PRIMARY KEY, name text NOT NULL, phone text, born date, profile jsonb, score int,
    country text REFERENCES countries(code));
  CREATE TABLE orders (id int PRIMARY KEY, account_email text NOT NULL REFERENCES accounts(email), amount numeric(12, 2), note text);
  CREATE TABLE shipments (
    id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders(id),
    account_email text NOT NULL REFERENCES accounts(email), address text);
  CREATE TABLE audit (id int PRIMARY KEY, order_id int REFERENCES orders(id));
  CREATE EXTENSION IF NOT EXISTS citext;
  -- citext has no binary form shared by both databases: this table's rows go as COPY text.
  CREATE TABLE notes (id int PRIMARY KEY, account_email text REFERENCES accounts(email), body citext);
  CREATE TABLE employees (id int PRIMARY KEY, manager_id int REFERENCES employees(id), name text);
  CREATE TABLE settings (k text PRIMARY KEY, v text);
  INSERT INTO countries SELECT 'C' || g, 'country ' || g FROM generate_series(1, 30) g;
  INSERT INTO accounts
    SELECT 'user' || g || '@example.com', 'Name ' || g, '+44 20 7946 ' || lpad(g::text, 4, '0'),
           date '1970-01-01' + g, jsonb_build_object('email', 'alt' || g || '@example.org', 'plan', 'pro'), g % 100,
           'C' || (g % 30 + 1)
      FROM generate_series(1, 1000) g;
  INSERT INTO orders SELECT g, 'user' || (g % 1000 + 1) || '@example.com', g % 1000, E'note\\t' || g FROM generate_series(1, 4000) g;
  INSERT INTO shipments SELECT g, g, 'user' || (g % 1000 + 1) || '@example.com', g || ' Main St' FROM generate_series(1, 4000, 2) g;
  INSERT INTO audit SELECT g, g * 3 FROM generate_series(1, 1000) g;
  INSERT INTO notes SELECT g, 'user' || (g % 1000 + 1) || '@example.com', E'Note\t' || g FROM generate_series(1, 300) g;
  INSERT INTO employees VALUES (1, NULL, 'boss');
  INSERT INTO employees SELECT g, g / 2, 'e' || g FROM generate_series(2, 100) g;
  INSERT INTO settings VALUES ('a', '1'), ('b', '2');
  ANALYZE;
`;

const ORPHANS = [
  "SELECT count(*)::int AS n FROM orders o LEFT JOIN accounts a ON a.email = o.account_email WHERE a.email IS NULL",
  "SELECT count(*)::int AS n FROM shipments s LEFT JOIN orders o ON o.id = s.order_id WHERE o.id IS NULL",
  "SELECT count(*)::int AS n FROM shipments s LEFT JOIN accounts a ON a.email = s.account_email WHERE a.email IS NULL",
  "SELECT count(*)::int AS n FROM accounts a LEFT JOIN countries c ON c.code = a.country WHERE a.country IS NOT NULL AND c.code IS NULL",
  "SELECT count(*)::int AS n FROM audit x LEFT JOIN orders o ON o.id = x.order_id WHERE x.order_id IS NOT NULL AND o.id IS NULL",
  "SELECT count(*)::int AS n FROM employees e LEFT JOIN employees m ON m.id = e.manager_id WHERE e.manager_id IS NOT NULL AND m.id IS NULL",
];

const count = async (db: TestDatabase, sql: string) => (await db.query<{ n: number }>(sql))[0]?.n;

describe.skipIf(!server.ok)("weir clone: masking and subsets", () => {
  let source: TestDatabase;
  const made: TestDatabase[] = [];
  const destination = async () => {
    const db = await freshDestination();
    made.push(db);
    return db;
  };
  beforeAll(async () => {
    source = await createTestDatabase("clonemask");
    await source.query(SHOP);
  });
  afterAll(async () => {
    await Promise.all([...made.map((db) => db.drop()), source?.drop()]);
  });

  const masking = {
    accounts: [
      { type: "hash", field: "email", key: KEY },
      { type: "fake", field: "name", kind: "full_name", key: KEY },
      { type: "mask", field: "phone", keep_last: 2 },
      { type: "shift_date", field: "born", max_days: 30, key: KEY },
      { type: "hash", field: "profile.email", key: KEY },
    ],
  };

  it("masks a key the same way in every table that references it, so joins and foreign keys hold", async () => {
    const target = await destination();
    const outcome = await runClone(cloneBetween(source, target, { masking }));
    expect(outcome.ok ? undefined : outcome.failure).toBeUndefined();
    expect(outcome.report.plan?.tables.find((t) => t.name === "shipments")?.masked).toEqual([
      { column: "account_email", mappers: ["hash"], from: "public.accounts.email" },
    ]);
    const joined = "SELECT count(*)::int AS n FROM orders o JOIN accounts a ON a.email = o.account_email";
    expect(await count(target, joined)).toBe(4000);
    // Masked the same way whether a table's rows go in COPY's binary format or as text.
    const notes = "SELECT count(*)::int AS n FROM notes n JOIN accounts a ON a.email = n.account_email";
    expect(await count(target, notes)).toBe(300);
    expect(
      await count(
        target,
        "SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND convalidated",
      ),
    ).toBe(7);
    expect(
      await count(target, "SELECT count(*)::int AS n FROM accounts WHERE email LIKE '%@example.com'"),
    ).toBe(0);
    expect(
      await count(
        target,
        "SELECT count(*)::int AS n FROM accounts WHERE profile->>'email' LIKE '%@example.org'",
      ),
    ).toBe(0);
    const [alice] = await target.query<{ phone: string; plan: string; name: string }>(
      "SELECT phone, profile->>'plan' AS plan, name FROM accounts WHERE score = 1 ORDER BY born LIMIT 1",
    );
    expect(alice?.phone).toMatch(/^\*+01$/);
    expect(alice?.plan).toBe("pro");
    expect(alice?.name).not.toMatch(/^Name /);
    // Unmasked columns are exact.
    expect(await tableChecksum(target, "orders", ["id", "amount", "note"])).toEqual(
      await tableChecksum(source, "orders", ["id", "amount", "note"]),
    );
    expect(await tableChecksum(target, "accounts", ["score", "country"])).toEqual(
      await tableChecksum(source, "accounts", ["score", "country"]),
    );
    // The same key gives the same copy.
    const again = await destination();
    expect((await runClone(cloneBetween(source, again, { masking }))).ok).toBe(true);
    expect(await tableChecksum(again, "accounts")).toEqual(await tableChecksum(target, "accounts"));
  });

  it("refuses to mask a referenced key with a mapper that may give a different output, before copying", async () => {
    const target = await destination();
    const encrypt = { accounts: [{ type: "encrypt", field: "email", key: "a".repeat(64) }] };
    const outcome = await runClone(cloneBetween(source, target, { masking: encrypt }));
    expect(outcome).toMatchObject({
      ok: false,
      failure: {
        type: "config_error",
        message: expect.stringContaining("public.accounts.email is referenced by"),
      },
    });
    expect(await target.query("SELECT relname FROM pg_class WHERE relname = 'accounts'")).toEqual([]);
    const own = await runClone(
      cloneBetween(source, target, {
        masking: { orders: [{ type: "hash", field: "account_email", key: KEY }] },
      }),
    );
    expect(own).toMatchObject({
      ok: false,
      failure: { message: expect.stringContaining("mask public.accounts.email instead") },
    });
  });

  it("very large values pass: 100 MB of text as it is, 16 MB masked", async () => {
    const own = await createTestDatabase("clonebig");
    made.push(own);
    await own.query(`
      CREATE TABLE blobs (id int PRIMARY KEY, body text, secret text);
      INSERT INTO blobs VALUES (1, repeat(E'ab\\tc\\\\', 20 * 1024 * 1024), repeat('s', 16 * 1024 * 1024)), (2, '', 'x');
      ANALYZE;`);
    const target = await destination();
    const blobs = { blobs: [{ type: "mask", field: "secret", keep_first: 1 }] };
    const outcome = await runClone(cloneBetween(own, target, { masking: blobs }));
    expect(outcome.ok ? undefined : outcome.failure).toBeUndefined();
    expect(await tableChecksum(target, "blobs", ["id", "body"])).toEqual(
      await tableChecksum(own, "blobs", ["id", "body"]),
    );
    const sizes =
      "SELECT length(body) AS body, length(secret) AS secret, left(secret, 2) AS head FROM blobs WHERE id = 1";
    expect(await target.query(sizes)).toEqual([
      { body: 100 * 1024 * 1024, secret: 16 * 1024 * 1024, head: "s*" },
    ]);
  });

  it("a mapper that makes a unique column's values collide is a config error saying so", async () => {
    const target = await destination();
    const collide = { countries: [{ type: "mask", field: "code" }] };
    const outcome = await runClone(cloneBetween(source, target, { masking: collide }));
    expect(outcome).toMatchObject({
      ok: false,
      failure: {
        type: "config_error",
        message: expect.stringContaining("the masked values are no longer unique"),
      },
    });
  });

  it("a subset keeps the start rows, their children and every parent, and passes every foreign key check", async () => {
    const target = await destination();
    const subset = { seed: 42, start: [{ table: "accounts", percent: 20 }] };
    const outcome = await runClone(cloneBetween(source, target, { subset }));
    expect(outcome.ok ? undefined : outcome.failure).toBeUndefined();
    expect(await count(target, "SELECT count(*)::int AS n FROM accounts")).toBe(200);
    // Every order and shipment of a kept account, and nothing else.
    const kept = (await target.query<{ email: string }>("SELECT email FROM accounts")).map((r) => r.email);
    for (const table of ["orders", "shipments"]) {
      const expected = await count(
        source,
        `SELECT count(*)::int AS n FROM ${table} WHERE account_email = ANY('{${kept.join(",")}}')`,
      );
      expect(await count(target, `SELECT count(*)::int AS n FROM ${table}`), table).toBe(expected);
    }
    expect(await count(target, "SELECT count(*)::int AS n FROM settings")).toBe(2);
    expect(await count(target, "SELECT count(*)::int AS n FROM employees")).toBe(100);
    for (const sql of ORPHANS) expect(await count(target, sql), sql).toBe(0);
    const reasons = Object.fromEntries(
      outcome.report.plan?.tables.map((t) => [t.name, t.subsetReason ?? t.rows]) ?? [],
    );
    expect(reasons).toMatchObject({
      accounts: "start",
      orders: "child",
      countries: "parent",
      settings: "all",
    });

    // The same seed chooses the same rows (masked the same way); another seed others.
    const rows = ["score", "country", "phone"];
    const same = await destination();
    expect((await runClone(cloneBetween(source, same, { subset, masking }))).ok).toBe(true);
    for (const sql of ORPHANS) expect(await count(same, sql), sql).toBe(0);
    const again = await destination();
    await runClone(cloneBetween(source, again, { subset, masking }));
    expect(await tableChecksum(again, "accounts", rows)).toEqual(await tableChecksum(same, "accounts", rows));
    const other = await destination();
    await runClone(cloneBetween(source, other, { subset: { ...subset, seed: 7 }, masking }));
    expect(await tableChecksum(other, "accounts", rows)).not.toEqual(
      await tableChecksum(same, "accounts", rows),
    );
  });

  it("a subset by a condition without children takes only the parents the kept rows need", async () => {
    const target = await destination();
    const subset = {
      start: [
        { table: "orders", where: "amount >= 990" },
        { table: "employees", where: "id = 77" },
      ],
      children: false,
      other_tables: "empty",
    };
    const outcome = await runClone(cloneBetween(source, target, { subset }));
    expect(outcome.ok ? undefined : outcome.failure).toBeUndefined();
    expect(await count(target, "SELECT count(*)::int AS n FROM orders")).toBe(40);
    expect(await count(target, "SELECT count(*)::int AS n FROM accounts")).toBe(10);
    expect(await count(target, "SELECT count(*)::int AS n FROM shipments")).toBe(0);
    expect(await count(target, "SELECT count(*)::int AS n FROM settings")).toBe(0);
    // 77, its manager 38, 19, 9, 4, 2 and the boss.
    expect(await count(target, "SELECT count(*)::int AS n FROM employees")).toBe(7);
    for (const sql of ORPHANS) expect(await count(target, sql), sql).toBe(0);
  });

  it("a subset condition that does not parse is a config error naming it", async () => {
    const target = await destination();
    const outcome = await runClone(
      cloneBetween(source, target, { subset: { start: [{ table: "orders", where: "amount >>> 3" }] } }),
    );
    expect(outcome).toMatchObject({
      ok: false,
      failure: { type: "config_error", message: expect.stringContaining("subset.start[0] (public.orders)") },
    });
  });
});
