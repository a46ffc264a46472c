import { describe, expect, it } from "vitest";
import { createDayOffset, roundNumber } from "./date-mappers.js";
import { daysFromCivil, leadingDays } from "./date-text.js";
import {
  compiled,
  compileError,
  KEY,
  mapData,
  mapRecord,
  mapSync,
  userRecord,
} from "./test-fixtures/users-stream.js";

const dayOf = (text: string) => leadingDays(text) as number;

describe("shift_date", () => {
  it("moves dates by 1 to N days, never 0, the same way every time", () => {
    const offset = createDayOffset(KEY, 10);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const days = offset(`seed ${i}`);
      expect(Math.abs(days)).toBeGreaterThanOrEqual(1);
      expect(Math.abs(days)).toBeLessThanOrEqual(10);
      seen.add(days);
    }
    expect(seen.size).toBe(20);
    expect(createDayOffset(KEY, 10)("seed 1")).toBe(offset("seed 1"));
    // Pinned: the same key shifts the same day the same way in every version.
    expect(createDayOffset(KEY, 30)("2024-05-17")).toBe(10);
  });

  it("keeps a timestamp's time and zone, and moves all times of one day alike", () => {
    const mappers = [{ type: "shift_date", field: "created_at", max_days: 30, key: KEY }];
    const morning = String(mapData(mappers, { created_at: "2024-05-17T08:00:00Z" })?.created_at);
    const evening = String(mapData(mappers, { created_at: "2024-05-17T20:30:00.5+02:00" })?.created_at);
    expect(morning).toMatch(/^\d{4}-\d{2}-\d{2}T08:00:00Z$/);
    expect(evening.slice(10)).toBe("T20:30:00.5+02:00");
    expect(morning.slice(0, 10)).toBe(evening.slice(0, 10));
    const moved = dayOf(morning) - dayOf("2024-05-17");
    expect(moved).not.toBe(0);
    expect(Math.abs(moved)).toBeLessThanOrEqual(30);
  });

  it("moves every date of one entity by the same offset with `by`, so intervals survive", () => {
    const mappers = compiled([
      { type: "shift_date", field: "birthday", max_days: 365, key: KEY, by: "id" },
      { type: "shift_date", field: "created_at", max_days: 365, key: KEY, by: "id" },
    ]);
    const [a, b] = mapSync(mappers, [
      userRecord({ id: 5, birthday: "1990-01-01", created_at: "2020-01-01T00:00:00Z" }),
      userRecord({ id: 6, birthday: "1990-01-01", created_at: "2020-01-01T00:00:00Z" }),
    ]).records;
    const shiftA = dayOf(String(a?.data.birthday)) - dayOf("1990-01-01");
    expect(dayOf(String(a?.data.created_at)) - dayOf("2020-01-01")).toBe(shiftA);
    // Another entity, another offset (a 1 in 730 chance of a tie for these two ids would fail this; they differ).
    expect(dayOf(String(b?.data.birthday)) - dayOf("1990-01-01")).not.toBe(shiftA);
  });

  it("nulls what is not a date and records it: text, numbers, invalid days, BC dates", () => {
    const mappers = [{ type: "shift_date", field: "birthday", max_days: 5, key: KEY }];
    for (const bad of [
      "yesterday",
      "2024-02-30",
      "2024-13-01",
      "0000-01-01",
      "2024-05-17 BC",
      20240517,
      { d: 1 },
      "😀",
    ]) {
      const record = mapRecord(mappers, { birthday: bad });
      expect(record?.data.birthday, String(bad)).toBeNull();
      expect(record?.meta?.changes).toEqual([
        { field: "birthday", change: "NULLED", reason: "PLATFORM_SERIALIZATION_ERROR" },
      ]);
    }
    expect(mapRecord(mappers, { birthday: null })?.meta).toBeUndefined();
  });

  it("needs a string field in the schema", () => {
    expect(compileError([{ type: "shift_date", field: "age", max_days: 5, key: KEY }])).toContain(
      'shift_date needs a date or timestamp (string) field; "age" is integer',
    );
    expect(
      compileError([{ type: "shift_date", field: "birthday", max_days: 5, key: KEY, by: "user" }]),
    ).toContain('field "user" is not in the stream\'s schema');
  });
});

describe("round", () => {
  it("rounds numbers half away from zero, to decimals or to tens", () => {
    expect(roundNumber(1.005, 2)).toBe(1.01);
    expect(roundNumber(-2.5, 0)).toBe(-3);
    expect(roundNumber(1234.5, -2)).toBe(1200);
    expect(roundNumber(0.1 + 0.2, 1)).toBe(0.3);
    expect(mapData([{ type: "round", field: "weight", precision: 1 }])?.weight).toBe(61.3);
    expect(mapData([{ type: "round", field: "age", precision: -1 }])?.age).toBe(40);
    expect(mapData([{ type: "round", field: "weight" }])?.weight).toBe(61);
  });

  it("truncates dates and timestamps to a unit, keeping the zone", () => {
    const at = (unit: string, value: string) =>
      mapData([{ type: "round", field: "created_at", unit }], { created_at: value })?.created_at;
    expect(at("year", "2024-05-17T13:45:12.123+02:00")).toBe("2024-01-01T00:00:00+02:00");
    expect(at("month", "2024-05-17T13:45:12Z")).toBe("2024-05-01T00:00:00Z");
    expect(at("day", "2024-05-17T13:45:12Z")).toBe("2024-05-17T00:00:00Z");
    expect(at("hour", "2024-05-17T13:45:12Z")).toBe("2024-05-17T13:00:00Z");
    expect(at("minute", "2024-05-17 13:45:12")).toBe("2024-05-17 13:45:00");
    expect(at("second", "2024-05-17T13:45:12.999Z")).toBe("2024-05-17T13:45:12Z");
    expect(at("month", "2024-05-17")).toBe("2024-05-01");
  });

  it("nulls values of the wrong kind and records it", () => {
    const record = mapRecord([{ type: "round", field: "weight", precision: 0 }], { weight: "61.2" });
    expect(record?.data.weight).toBeNull();
    expect(record?.meta?.changes).toHaveLength(1);
    expect(
      mapRecord([{ type: "round", field: "created_at", unit: "day" }], { created_at: "soon" })?.data
        .created_at,
    ).toBeNull();
  });

  it("checks the field's type against the option", () => {
    expect(compileError([{ type: "round", field: "name", precision: 1 }])).toContain(
      "round with precision needs a number field",
    );
    expect(compileError([{ type: "round", field: "age", unit: "day" }])).toContain(
      "round with unit needs a date",
    );
  });
});

describe("date text", () => {
  it("counts days like the calendar", () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(dayOf("2000-03-01") - dayOf("2000-02-28")).toBe(2);
    expect(dayOf("1900-03-01") - dayOf("1900-02-28")).toBe(1);
    expect(leadingDays("2024-05-17Tx")).toBe(dayOf("2024-05-17"));
    expect(leadingDays("2024-05-17x")).toBeUndefined();
  });
});
