import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_LINE_BYTES,
  decodeMessageStream,
  encodeMessageBytes,
  encodeMessages,
  LineSplitter,
  type ParsedLine,
  parseLine,
  parseLineBytes,
  type SplitLine,
  serializeMessage,
} from "./json-lines.js";
import { logMessage, recordMessage } from "./message-builders.js";
import { rawLineOf } from "./piped-record.js";
import { sampleMessages } from "./sample-messages.js";
import type { AirbyteMessage } from "./schemas.js";

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

// One, two, three and four bytes in UTF-8, so random split points land inside characters.
const ALPHABET = ["a", "Z", "{", '"', " ", "é", "ß", "€", "\u2212", "中", "😀", "🚀"];

function randomText(next: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 40);
  for (let i = 0; i < count; i++) {
    const length = next() < 0.15 ? 0 : Math.floor(next() * 200);
    let line = "";
    for (let j = 0; j < length; j++) line += ALPHABET[Math.floor(next() * ALPHABET.length)];
    lines.push(next() < 0.2 ? `${line}\r` : line);
  }
  const text = lines.join("\n");
  return next() < 0.5 ? `${text}\n` : text;
}

/** Cuts a buffer at random points, sometimes into empty chunks. */
function randomChunks(bytes: Buffer, next: () => number): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const size = next() < 0.1 ? 0 : 1 + Math.floor(next() * (next() < 0.5 ? 4 : 64));
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}

function splitAll(chunks: readonly Buffer[], options?: { maxLineBytes?: number }): SplitLine[] {
  const splitter = new LineSplitter(options);
  const lines: SplitLine[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(chunk));
  lines.push(...splitter.end());
  return lines;
}

/** The lines of a text as the protocol defines them: split on \n, no line after a final \n. */
function expectedLines(text: string): string[] {
  const lines = text.split("\n");
  if (text.endsWith("\n") || text === "") lines.pop();
  return lines;
}

async function* chunksOf<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function decodeAll(
  chunks: readonly (Buffer | string)[],
  options?: { maxLineBytes?: number },
): Promise<ParsedLine[][]> {
  const batches: ParsedLine[][] = [];
  for await (const batch of decodeMessageStream(chunksOf(chunks), options)) batches.push(batch);
  return batches;
}

describe("LineSplitter", () => {
  it("gives the same lines wherever the chunks are cut, inside characters too (500 random cases)", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const text = randomText(next);
      const lines = splitAll(randomChunks(Buffer.from(text), next));
      expect({ seed, lines }).toEqual({ seed, lines: expectedLines(text) });
    }
  });

  it("copies what it keeps, so the caller may reuse a chunk's memory", () => {
    const text = "first line é\nsecond 😀 line\nthird";
    const bytes = Buffer.from(text);
    const scratch = Buffer.alloc(3);
    const splitter = new LineSplitter();
    const lines: SplitLine[] = [];
    for (let start = 0; start < bytes.length; start += scratch.length) {
      const chunk = scratch.subarray(0, bytes.copy(scratch, 0, start, start + scratch.length));
      lines.push(...splitter.push(chunk));
      scratch.fill(0x58);
    }
    lines.push(...splitter.end());
    expect(lines).toEqual(expectedLines(text));
  });

  it("keeps \\r, empty lines and a last line without newline for the parser to judge", () => {
    expect(splitAll([Buffer.from("a\r\n\n\r\nb")])).toEqual(["a\r", "", "\r", "b"]);
    expect(splitAll([Buffer.from("a\n")])).toEqual(["a"]);
    expect(splitAll([])).toEqual([]);
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from("no newline"))).toEqual([]);
    expect(splitter.end()).toEqual(["no newline"]);
    expect(splitter.end()).toEqual([]);
  });

  it("reports a line over the limit with its size and head, and carries on after it", () => {
    const long = `${"é".repeat(100)}${"x".repeat(4800)}`; // 5000 bytes
    const text = `short\n${long}\nafter\n${"y".repeat(1000)}\n${"z".repeat(1001)}`;
    const next = random(7);
    for (const chunks of [[Buffer.from(text)], randomChunks(Buffer.from(text), next)]) {
      expect(splitAll(chunks, { maxLineBytes: 1000 })).toEqual([
        "short",
        { oversized: true, bytes: 5000, head: "é".repeat(60) },
        "after",
        "y".repeat(1000),
        { oversized: true, bytes: 1001, head: "z".repeat(120) },
      ]);
    }
  });

  it("does not buffer an oversized line beyond the limit (256 MiB line, 1 MiB limit, 64 KiB chunks)", () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const splitter = new LineSplitter({ maxLineBytes: 1024 * 1024 });
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const lines: SplitLine[] = [];
    for (let i = 0; i < 4096; i++) {
      lines.push(...splitter.push(chunk));
      if (i % 256 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }
    lines.push(...splitter.push(Buffer.from("\nnext\n")));
    expect(lines).toEqual([{ oversized: true, bytes: 256 * 1024 * 1024, head: "a".repeat(120) }, "next"]);
    expect(peak - before).toBeLessThan(32 * 1024 * 1024);
  });

  it("joins a 50 MB line sent in 64 KiB chunks once, at its end", () => {
    const chunk = Buffer.alloc(64 * 1024, 0x62);
    const count = Math.ceil((50 * 1024 * 1024) / chunk.length);
    const splitter = new LineSplitter();
    for (let i = 0; i < count; i++) expect(splitter.push(chunk)).toEqual([]);
    const [line, ...rest] = splitter.push(Buffer.from("c\n"));
    expect(rest).toEqual([]);
    expect(typeof line === "string" && line.length).toBe(count * chunk.length + 1);
    expect(typeof line === "string" && line.endsWith("bbc")).toBe(true);
    expect(DEFAULT_MAX_LINE_BYTES).toBeGreaterThan(count * chunk.length);
  });
});

describe("parseLine", () => {
  const record = { stream: "users", data: { id: 1 }, emitted_at: 1 };

  it("returns protocol messages, RECORD included", () => {
    const line = JSON.stringify({ type: "RECORD", record });
    expect(parseLine(line)).toEqual({ kind: "message", message: { type: "RECORD", record } });
    const log = logMessage("INFO", "hi");
    expect(parseLine(serializeMessage(log))).toEqual({ kind: "message", message: log });
  });

  it("accepts a float emitted_at, a missing or null namespace, and keeps extra keys at the top", () => {
    const float = { type: "RECORD", record: { ...record, emitted_at: 1.5e12 + 0.25 } };
    expect(parseLine(JSON.stringify(float))).toEqual({ kind: "message", message: float });
    const nullNamespace = { type: "RECORD", record: { ...record, namespace: null } };
    expect(parseLine(JSON.stringify(nullNamespace))).toEqual({ kind: "message", message: nullNamespace });
    const extra = { type: "RECORD", record, id: 12, partition_id: "p1" };
    expect(parseLine(JSON.stringify(extra))).toEqual({ kind: "message", message: extra });
    const state = { ...sampleMessages["STATE STREAM"], id: 3, committedRecordsCount: 11 };
    expect(parseLine(JSON.stringify(state))).toEqual({ kind: "message", message: state });
  });

  it("strips a trailing \\r and tolerates whitespace around the object", () => {
    const line = `  ${JSON.stringify({ type: "RECORD", record })}  \r`;
    expect(parseLine(line)).toEqual({ kind: "message", message: { type: "RECORD", record } });
  });

  it("calls lines that are not JSON objects noise", () => {
    expect(parseLine("Starting source...")).toEqual({
      kind: "noise",
      text: "Starting source...",
      reason: "not a JSON object",
    });
    expect(parseLine("warning\r")).toMatchObject({ kind: "noise", text: "warning" });
    expect(parseLine('{"type": "RECORD", ')).toMatchObject({ kind: "noise", reason: "not valid JSON" });
    for (const line of ["[1,2]", "42", '"RECORD"', "null", ""]) expect(parseLine(line).kind).toBe("noise");
  });

  it("calls JSON that is not a protocol message noise, with a reason", () => {
    const cases: [unknown, RegExp][] = [
      [{ record }, /type/],
      [{ type: 7, record }, /type/],
      [{ type: "HEARTBEAT" }, /HEARTBEAT/],
      [{ type: "RECORD" }, /RECORD/],
      [{ type: "RECORD", record: { stream: "users", emitted_at: 1 } }, /data/],
      [{ type: "RECORD", record: { ...record, data: [1] } }, /data/],
      [{ type: "RECORD", record: { ...record, emitted_at: "2024-01-01" } }, /emitted_at/],
      [{ type: "RECORD", record: { data: {}, emitted_at: 1 } }, /stream/],
      [{ type: "LOG", log: { level: "LOUD", message: "x" } }, /log\.level/],
      [{ type: "STATE" }, /state/],
      [{ type: "TRACE", trace: { type: "ERROR" } }, /emitted_at/],
    ];
    for (const [value, reason] of cases) {
      const text = JSON.stringify(value);
      const parsed = parseLine(text);
      expect(parsed).toMatchObject({ kind: "noise", text });
      expect(parsed.kind === "noise" && parsed.reason).toMatch(reason);
    }
  });
});

describe("serializeMessage and encodeMessages", () => {
  it("write one line per message, each ending in a newline", () => {
    const messages = Object.values(sampleMessages) as AirbyteMessage[];
    const text = encodeMessages(messages);
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toEqual(messages.map(serializeMessage));
    for (const line of lines) expect(JSON.parse(line)).toBeTypeOf("object");
    expect(encodeMessages([])).toBe("");
  });

  it("write a RECORD read off a pipe as the bytes it came in as, big numbers included", () => {
    const line =
      '{ "record": {"stream":"u", "data": {"id": 99999999999999999}, "emitted_at": 1}, "type": "RECORD" }';
    const parsed = parseLineBytes(Buffer.from(`  ${line}\r`));
    if (parsed.kind !== "message") throw new Error("expected a message");
    expect(rawLineOf(parsed.message)?.toString()).toBe(line);
    const log = serializeMessage(logMessage("INFO", "x"));
    expect(encodeMessages([parsed.message, logMessage("INFO", "x")])).toBe(`${line}\n${log}\n`);
    expect(encodeMessageBytes([parsed.message, logMessage("INFO", "x")]).toString()).toBe(
      `${line}\n${log}\n`,
    );
    // A new message built from it is serialised afresh.
    const changed = recordMessage("u", { id: 1 }, { emittedAt: 1 });
    expect(rawLineOf(changed)).toBeUndefined();
    expect(encodeMessages([changed])).toBe(`${JSON.stringify(changed)}\n`);
    expect(encodeMessageBytes([])).toHaveLength(0);
  });

  it("stop reusing the bytes once the data was read, so changes made in place are written", () => {
    const parsed = parseLineBytes(
      Buffer.from('{"type":"RECORD","record":{"stream":"u","data":{"id":1},"emitted_at":1}}'),
    );
    if (parsed.kind !== "message" || parsed.message.type !== "RECORD") throw new Error("expected a record");
    const record = parsed.message.record;
    expect(record.data).toEqual({ id: 1 });
    (record.data as { id: number }).id = 2;
    expect(rawLineOf(parsed.message)).toBeUndefined();
    expect(encodeMessageBytes([parsed.message]).toString()).toBe(
      '{"type":"RECORD","record":{"stream":"u","emitted_at":1,"data":{"id":2}}}\n',
    );
    const spread = { ...parsed.message, record: { ...record, data: { id: 3 } } };
    expect(rawLineOf(spread as AirbyteMessage)).toBeUndefined();
    expect(JSON.parse(encodeMessages([spread as AirbyteMessage]))).toEqual({
      type: "RECORD",
      record: { stream: "u", emitted_at: 1, data: { id: 3 } },
    });
  });
});

describe("decodeMessageStream", () => {
  const messages = Object.values(sampleMessages) as AirbyteMessage[];
  const expected = messages.map((message) => ({ kind: "message", message }));

  it("decodes what encodeMessages wrote, however it is chunked (100 random cases)", async () => {
    const bytes = Buffer.from(encodeMessages(messages));
    for (let seed = 1; seed <= 100; seed++) {
      const batches = await decodeAll(randomChunks(bytes, random(seed)));
      expect({ seed, parsed: batches.flat() }).toEqual({ seed, parsed: expected });
      for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
    }
  });

  it("yields one batch per chunk that completes lines, and takes strings too", async () => {
    const [a, b, c] = messages.map(serializeMessage);
    const batches = await decodeAll([`${a}\n${b}`, "", `\n${c}\n`]);
    expect(batches.map((batch) => batch.length)).toEqual([1, 2]);
  });

  it("skips blank lines, reads CRLF, and keeps a last line without newline", async () => {
    const [a, b] = messages.map(serializeMessage);
    const batches = await decodeAll([Buffer.from(`\r\n${a}\r\n\n   \n${b}`)]);
    const parsed = batches.flat();
    expect(parsed[0]).toEqual(expected[0]);
    expect(parsed[1]).toMatchObject({ kind: "noise", text: "   " });
    expect(parsed[2]).toEqual(expected[1]);
    expect(parsed).toHaveLength(3);
  });

  it("passes noise and oversized lines on in order, between messages", async () => {
    const [a, b] = messages.map(serializeMessage);
    const text = `Starting\n${a}\n{"type":"RECORD","record":{"stream":"u","data":{},"emitted_at":1,"pad":"${"p".repeat(2000)}"}}\n${b}\n`;
    const parsed = (
      await decodeAll(randomChunks(Buffer.from(text), random(3)), { maxLineBytes: 1500 })
    ).flat();
    expect(parsed.map((line) => line.kind)).toEqual(["noise", "message", "oversized", "message"]);
    const oversized = parsed[2];
    if (oversized?.kind !== "oversized") throw new Error("expected an oversized line");
    expect(oversized.bytes).toBe(2000 + 75);
    expect(oversized.head).toHaveLength(120);
    expect(oversized.head.startsWith('{"type":"RECORD","record":{"stream":"u","data":{}')).toBe(true);
  });
});
