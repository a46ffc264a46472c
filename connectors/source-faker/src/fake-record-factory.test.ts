import { describe, expect, it } from "vitest";
import { FakeRecordFactory, PRODUCT_COUNT, purchaseCountUpTo, purchaseIdsOf } from "./fake-record-factory.js";

describe("purchase ids", () => {
  it("are contiguous from 1, about one per user, with users 7, 17… buying nothing", () => {
    const ids: number[] = [];
    for (let user = 1; user <= 95; user++) {
      ids.push(...purchaseIdsOf(user));
      expect(ids.length).toBe(purchaseCountUpTo(user));
    }
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(purchaseIdsOf(7)).toEqual([]);
    expect(purchaseIdsOf(9)).toEqual([8, 9]);
    expect(purchaseCountUpTo(1000)).toBe(1000);
    expect(purchaseCountUpTo(0)).toBe(0);
  });
});

describe("FakeRecordFactory", () => {
  it("makes the same record for the same seed and id, in any order", async () => {
    const a = await FakeRecordFactory.create(42);
    const b = await FakeRecordFactory.create(42);
    const forward = [1, 2, 3, 500].map((id) => a.user(id));
    const backward = [500, 3, 2, 1].map((id) => b.user(id)).reverse();
    expect(forward).toEqual(backward);
    const out1: Record<string, unknown>[] = [];
    const out2: Record<string, unknown>[] = [];
    a.purchasesOf(9, out1);
    b.user(77);
    b.purchasesOf(9, out2);
    expect(out1).toEqual(out2);
    expect(out1.map((p) => p.id)).toEqual([8, 9]);
  });

  it("makes different users for different seeds, and the same products", async () => {
    const a = await FakeRecordFactory.create(1);
    const b = await FakeRecordFactory.create(2);
    const usersA = [1, 2, 3, 4, 5].map((id) => a.user(id));
    const usersB = [1, 2, 3, 4, 5].map((id) => b.user(id));
    expect(usersA).not.toEqual(usersB);
    expect(
      usersA.filter((u, i) => u.name === usersB[i]?.name && u.created_at === usersB[i]?.created_at),
    ).toEqual([]);
    expect(a.product(7)).toEqual(b.product(7));
  });

  it("keeps seeds above 2^32 and negative seeds apart", async () => {
    const names = await Promise.all(
      [5, 5 + 2 ** 32, -5, 2 ** 40].map(async (seed) => (await FakeRecordFactory.create(seed)).user(1).email),
    );
    expect(new Set(names).size).toBe(4);
  });

  it("makes unique emails, purchases after their user's creation, and a 100-car catalogue", async () => {
    const f = await FakeRecordFactory.create(3);
    const emails = new Set<unknown>();
    for (let id = 1; id <= 2000; id++) emails.add(f.user(id).email);
    expect(emails.size).toBe(2000);
    for (let user = 1; user <= 200; user++) {
      const createdAt = f.user(user).created_at as string;
      const purchases: Record<string, unknown>[] = [];
      f.purchasesOf(user, purchases);
      for (const p of purchases) {
        expect(p.user_id).toBe(user);
        expect(Date.parse(p.created_at as string)).toBeGreaterThanOrEqual(Date.parse(createdAt));
        expect(Date.parse(p.added_to_cart_at as string)).toBeGreaterThanOrEqual(
          Date.parse(p.created_at as string),
        );
        const latest = (p.returned_at ?? p.purchased_at ?? p.added_to_cart_at) as string;
        expect(p.updated_at).toBe(latest);
        expect(p.product_id).toBeGreaterThanOrEqual(1);
        expect(p.product_id).toBeLessThanOrEqual(PRODUCT_COUNT);
      }
    }
    const products = Array.from({ length: PRODUCT_COUNT }, (_, i) => f.product(i + 1));
    expect(new Set(products.map((p) => p.make)).size).toBeGreaterThan(10);
  });

  it("uses the sync's clock for updated_at when asked", async () => {
    const f = await FakeRecordFactory.create(3);
    const stamp = { ms: Date.UTC(2030, 0, 1, 0, 0, 0, 5), text: "2030-01-01T00:00:00.005+00:00" };
    expect(f.user(1, stamp).updated_at).toBe(stamp.text);
    expect(f.lastUpdatedAtMs).toBe(stamp.ms);
    const withoutStamp = f.user(1);
    expect({ ...f.user(1, stamp), updated_at: withoutStamp.updated_at }).toEqual(withoutStamp);
  });
});
