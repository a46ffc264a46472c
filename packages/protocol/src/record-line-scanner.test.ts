import { describe, expect, it } from "vitest";
import { scanRecordLine } from "./record-line-scanner.js";

const scan = (text: string) => scanRecordLine(Buffer.from(text));

/** A small seeded generator (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

function randomValue(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 3 ? 5 : 7));
  switch (kind) {
    case 0:
      return Math.floor(next() * 1e6) - 5e5;
    case 1:
      return next() * 1e10;
    case 2:
      return pick(next, [
        "",
        "plain",
        'quo"te',
        "back\\slash",
        "tab\there",
        "é ü 日本 😀",
        "\u0001\u001f",
        "\ud800",
      ]);
    case 3:
      return pick(next, [true, false, null]);
    case 4:
      return -next() * 1e-7;
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let k = Math.floor(next() * 5); k > 0; k--)
        out[`k${k}${pick(next, ["", "é", '"'])}`] = randomValue(next, depth + 1);
      return out;
    }
  }
}

function randomRecordLine(next: () => number): string {
  const record: Record<string, unknown> = {
    stream: pick(next, ["users", "purchases", "日本"]),
    data: randomValue(next, 5) instanceof Object ? { a: randomValue(next, 1), b: randomValue(next, 1) } : {},
    emitted_at: pick(next, [1732000000000, 1.5e12 + 0.25, 0, 17e11]),
  };
  if (next() < 0.3) record.namespace = pick(next, ["public", null]);
  const keys = Object.keys(record).sort(() => next() - 0.5);
  const body = Object.fromEntries(keys.map((key) => [key, record[key]]));
  const message = next() < 0.5 ? { type: "RECORD", record: body } : { record: body, type: "RECORD" };
  const text = JSON.stringify(message);
  // Blanks wherever JSON allows them, as other serialisers write.
  return next() < 0.3 ? text.replaceAll(",", ", ").replaceAll(":", ": ") : text;
}

const STRUCTURAL = ['"', "{", "}", "[", "]", ",", ":", "\\", "0", "-", ".", "e", " ", "n", "\u0001", "x"];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  const action = next();
  if (action < 0.33) return text.slice(0, at) + text.slice(at + 1);
  const c = pick(next, STRUCTURAL);
  if (action < 0.66) return text.slice(0, at) + c + text.slice(at);
  return text.slice(0, at) + c + text.slice(at + 1);
}

/** What JSON.parse says the scanner should have found, or undefined when it must not accept. */
function expectedShape(text: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return value;
}

describe("scanRecordLine", () => {
  it("finds the stream, namespace and emitted_at of plain RECORD lines", () => {
    const line = '{"type":"RECORD","record":{"stream":"users","data":{"id":1},"emitted_at":1732000000000}}';
    expect(scan(line)).toEqual({
      start: 0,
      end: line.length,
      stream: "users",
      namespace: undefined,
      emittedAt: 1732000000000,
    });
    const spaced =
      '  { "record" : { "namespace" : null , "emitted_at" : 1.5e3, "data" : {} , "stream" : "日本" } , "type" : "RECORD" } \r';
    expect(scan(spaced)).toMatchObject({ start: 2, stream: "日本", namespace: null, emittedAt: 1500 });
    expect(
      scan('{"type":"RECORD","record":{"stream":"s","namespace":"public","data":{},"emitted_at":-0.5}}'),
    ).toMatchObject({ namespace: "public", emittedAt: -0.5 });
  });

  it("leaves every other line to JSON.parse", () => {
    const others = [
      "",
      "Starting source",
      '{"type":"LOG","log":{"level":"INFO","message":"hi"}}',
      '{"type":"RECORD"}',
      '{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1},"extra":1}',
      '{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1,"meta":{"changes":[]}}}',
      '{"type":"RECORD","record":{"stream":"s\\u0041","data":{},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":[],"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":"1"}}',
      '{"type":"RECORD","record":{"data":{},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","stream":"t","data":{},"emitted_at":1}}',
      '{"type":"RECORD","type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1}} trailing',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":01},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":"\t"},"emitted_at":1}}',
      `{"type":"RECORD","record":{"stream":"s","data":${"[".repeat(300)}${"]".repeat(300)},"emitted_at":1}}`,
      `{"type":"RECORD","record":{"stream":"s","data":{"a":${"[".repeat(300)}${"]".repeat(300)}},"emitted_at":1}}`,
      "\ufeff" + '{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1}}',
    ];
    for (const line of others) expect({ line, shape: scan(line) }).toEqual({ line, shape: undefined });
  });

  it("accepts every plain RECORD a serialiser writes, and agrees with JSON.parse on it (2,000 random lines)", () => {
    const next = random(7);
    for (let n = 0; n < 2000; n++) {
      const line = randomRecordLine(next);
      const value = JSON.parse(line) as {
        record: { stream: string; namespace?: string | null; emitted_at: number };
      };
      const shape = scan(line);
      expect({ line, shape }).toEqual({
        line,
        shape: expect.objectContaining({
          stream: value.record.stream,
          namespace: value.record.namespace,
          emittedAt: value.record.emitted_at,
        }),
      });
    }
  });

  it("never accepts a line JSON.parse rejects or reads differently (20,000 random mutations)", () => {
    const next = random(11);
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      let line = randomRecordLine(next);
      for (let m = 1 + Math.floor(next() * 3); m > 0; m--) line = mutate(line, next);
      const shape = scan(line);
      if (shape === undefined) continue;
      accepted++;
      const value = expectedShape(line) as
        | {
            type?: unknown;
            record?: { stream?: unknown; namespace?: unknown; emitted_at?: unknown; data?: unknown };
          }
        | undefined;
      expect({ line, valid: value !== undefined }).toEqual({ line, valid: true });
      expect({ line, value }).toEqual({
        line,
        value: {
          type: "RECORD",
          record: expect.objectContaining({
            stream: shape.stream,
            emitted_at: shape.emittedAt,
            data: expect.any(Object),
          }),
        },
      });
      expect(Object.keys(value ?? {}).sort()).toEqual(["record", "type"]);
      expect(value?.record?.namespace).toEqual(shape.namespace);
      expect(Array.isArray(value?.record?.data)).toBe(false);
    }
    // Mutations that keep the line valid (inside strings, digits) are accepted: the scanner is not timid.
    expect(accepted).toBeGreaterThan(1000);
  });
});
