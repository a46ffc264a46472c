import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { CompiledStreamMappers, MapBatchResult } from "./compile-stream-mappers.js";
import { compiled, compileError, KEY, userRecord } from "./test-fixtures/users-stream.js";

const fixtures = fileURLToPath(new URL("./test-fixtures/", import.meta.url));
const opened: CompiledStreamMappers[] = [];

function javascript(mappers: unknown[]): CompiledStreamMappers {
  const result = compiled(mappers, { baseDirectory: fixtures });
  opened.push(result);
  return result;
}

async function mapAsync(mappers: CompiledStreamMappers, records = [userRecord()]): Promise<MapBatchResult> {
  const pending = mappers.mapBatch(records);
  expect(pending).toBeInstanceOf(Promise);
  return await pending;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((m) => m.close()));
});

describe("javascript", () => {
  it("runs the module's function on each record's data in a worker, between the other mappers", async () => {
    const mappers = javascript([
      { type: "hash", field: "email", key: KEY },
      { type: "javascript", module: "shout-names.mjs", fields: { stream_name: { type: "string" } } },
      { type: "rename", field: "stream_name", to: "origin" },
    ]);
    expect(mappers.isAsync).toBe(true);
    expect(await mappers.ready()).toEqual({ ok: true, value: undefined });
    const input = [
      userRecord({ id: 1 }),
      userRecord({ id: 2, age: 12 }),
      userRecord({ id: 3, name: "Zoë 😀" }),
    ];
    const before = structuredClone(input);
    const result = await mapAsync(mappers, input);
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.value.filtered).toBe(1);
    expect(result.value.records.map((r) => [r.data.id, r.data.name, r.data.origin])).toEqual([
      [1, "ALICE MARTIN", "users"],
      [3, "ZOË 😀", "users"],
    ]);
    expect(result.value.records[0]?.data.email).toMatch(/^[0-9a-f]{64}$/);
    expect(input).toEqual(before);
    expect((mappers.schema.properties as Record<string, unknown>).origin).toEqual({ type: "string" });
  });

  it("takes a named export returning a promise of new data, and removes fields it says it removes", async () => {
    const mappers = javascript([
      {
        type: "javascript",
        module: "shout-names.mjs",
        export: "greet",
        fields: { greeting: { type: "string" }, email: null, name: null },
      },
    ]);
    const result = await mapAsync(mappers);
    expect(result.ok && result.value.records[0]?.data).toEqual({ id: 1, greeting: "hi Alice Martin" });
    expect(Object.keys(mappers.schema.properties as object)).not.toContain("email");
  });

  it("is a config error when the module is missing, or a field it names is not in the schema", () => {
    expect(compileError([{ type: "javascript", module: "/nowhere/mapper.mjs" }])).toBe(
      "stream users: mapper 1 (javascript): module /nowhere/mapper.mjs not found (looked for /nowhere/mapper.mjs)",
    );
    expect(
      compiledError([{ type: "javascript", module: "shout-names.mjs", fields: { nope: null } }]),
    ).toContain('field "nope" is not in the stream\'s schema');
  });

  it("reports a module that cannot load, or whose export is not a function, before any data", async () => {
    const failing = javascript([{ type: "javascript", module: "fails-to-load.mjs" }]);
    expect(await failing.ready()).toEqual({
      ok: false,
      failure: {
        type: "config_error",
        message: "javascript mapper fails-to-load.mjs: cannot load: cannot start: missing configuration",
      },
    });
    const notFunction = javascript([
      { type: "javascript", module: "broken-mappers.mjs", export: "notAFunction" },
    ]);
    const ready = await notFunction.ready();
    expect(!ready.ok && ready.failure.message).toContain(
      'the module\'s export "notAFunction" is number, not a function',
    );
    const batch = await mapAsync(notFunction);
    expect(batch.ok).toBe(false);
  });

  it("fails the batch, naming stream and record, when the function throws or returns nonsense", async () => {
    const throwing = await mapAsync(
      javascript([{ type: "javascript", module: "broken-mappers.mjs", export: "throws" }]),
      [userRecord({ id: 1 }), userRecord({ id: 2 })],
    );
    expect(throwing).toEqual({
      ok: false,
      failure: {
        type: "config_error",
        message:
          "stream users: javascript mapper broken-mappers.mjs: threw on record 2 of the batch: TypeError: no id 2 here",
      },
    });
    const number = await mapAsync(
      javascript([{ type: "javascript", module: "broken-mappers.mjs", export: "returnsNumber" }]),
    );
    expect(!number.ok && number.failure.message).toContain(
      "returned number for record 1 of the batch; expected an object",
    );
    const unclonable = await mapAsync(
      javascript([{ type: "javascript", module: "broken-mappers.mjs", export: "unclonable" }]),
    );
    expect(!unclonable.ok && unclonable.failure.message).toContain("cannot be copied out of the worker");
  });

  it("fails a batch the function never finishes, and a worker that exits", async () => {
    const hanging = javascript([
      { type: "javascript", module: "broken-mappers.mjs", export: "hangs", timeout_seconds: 0.2 },
    ]);
    const result = await mapAsync(hanging);
    expect(!result.ok && result.failure.message).toContain("did not finish a batch of 1 records in 0.2 s");
    const later = await mapAsync(hanging);
    expect(later.ok).toBe(false);
    const exiting = await mapAsync(
      javascript([{ type: "javascript", module: "broken-mappers.mjs", export: "exits" }]),
    );
    expect(exiting).toEqual({
      ok: false,
      failure: {
        type: "system_error",
        message: "stream users: javascript mapper broken-mappers.mjs: its worker exited (code 3)",
      },
    });
  });

  it("maps an empty batch without a round trip, and closes cleanly more than once", async () => {
    const mappers = javascript([{ type: "javascript", module: "shout-names.mjs" }]);
    const result = await mapAsync(mappers, []);
    expect(result.ok && result.value.records).toEqual([]);
    await mappers.close();
    await mappers.close();
  });
});

function compiledError(mappers: unknown[]): string {
  try {
    compiled(mappers, { baseDirectory: fixtures });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a config error");
}
