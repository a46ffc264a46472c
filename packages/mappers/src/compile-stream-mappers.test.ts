import { createHmac } from "node:crypto";
import type { AirbyteRecordMessage } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { compileStreamMappers } from "./compile-stream-mappers.js";
import { MapperConfigList } from "./mapper-config.js";
import {
  compiled,
  compileError,
  KEY,
  mapSync,
  userRecord,
  usersSchema,
} from "./test-fixtures/users-stream.js";

const deepFreeze = <T>(value: T): T => {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
};

describe("compileStreamMappers", () => {
  it("runs the issue's example: schema and records follow the mappers, in order", () => {
    const mappers = compiled([
      { type: "hash", field: "email", key: KEY },
      { type: "fake", field: "name", kind: "full_name", key: KEY },
      { type: "mask", field: "telephone", keep_last: 4, with: "*" },
      { type: "drop", field: "blood_type" },
      { type: "rename", field: "occupation", to: "job" },
      { type: "filter", where: "age >= 30 and nationality != 'Italian'" },
    ]);
    const input = deepFreeze([
      userRecord({ id: 1 }),
      userRecord({ id: 2, age: 25 }),
      userRecord({ id: 3, nationality: "Italian" }),
    ]);
    const batch = mapSync(mappers, input);
    expect(batch.filtered).toBe(2);
    expect(batch.records).toHaveLength(1);
    const data = batch.records[0]?.data ?? {};
    expect(data.email).toBe(createHmac("sha256", KEY).update("alice@example.com").digest("hex"));
    expect(data.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(data.telephone).toBe("***********5678");
    expect(data.job).toBe("engineer");
    expect(Object.keys(data)).not.toContain("blood_type");
    expect(Object.keys(data)).not.toContain("occupation");
    const properties = Object.keys(mappers.schema.properties as object);
    expect(properties).toEqual([
      "id",
      "name",
      "email",
      "telephone",
      "age",
      "nationality",
      "job",
      "weight",
      "birthday",
      "created_at",
      "address",
      "tags",
    ]);
    // The input schema is untouched.
    expect(Object.keys(usersSchema.properties)).toContain("blood_type");
  });

  it("says which stream it maps", () => {
    const result = compileStreamMappers({
      stream: { name: "users", namespace: "public", json_schema: usersSchema },
      mappers: [],
    });
    expect(result.ok && result.value.stream).toEqual({ name: "users", namespace: "public" });
    expect(compiled([]).stream).toEqual({ name: "users", namespace: null });
  });

  it("names stream (with its namespace), mapper and field for a field the schema lacks", () => {
    const result = compileStreamMappers({
      stream: { name: "users", namespace: "public", json_schema: usersSchema },
      mappers: MapperConfigList.parse([
        { type: "drop", field: "blood_type" },
        { type: "hash", field: "emial", key: KEY },
      ]),
    });
    expect(result).toEqual({
      ok: false,
      failure: {
        type: "config_error",
        message:
          'stream public.users: mapper 2 (hash): field "emial" is not in the stream\'s schema; its fields are id, name, email, telephone, age, nationality, occupation, weight, birthday, created_at, address, tags',
      },
    });
    expect(compileError([{ type: "mask", field: "address.zip" }])).toContain(
      'field "address.zip" is not in the stream\'s schema; its fields in address are city, street',
    );
    expect(compileError([{ type: "drop", field: "x" }], { type: "object" })).toContain(
      "the schema declares no fields there",
    );
    // A later mapper cannot use a field an earlier one dropped.
    expect(
      compileError([
        { type: "drop", field: "email" },
        { type: "hash", field: "email", key: KEY },
      ]),
    ).toContain('mapper 2 (hash): field "email" is not in the stream\'s schema');
  });

  it("records what had to change in meta.changes, after the changes the record came with", () => {
    const mappers = compiled([
      { type: "round", field: "weight", precision: 0 },
      { type: "shift_date", field: "birthday", max_days: 3, key: KEY },
    ]);
    const input: AirbyteRecordMessage = {
      ...userRecord({ weight: "heavy", birthday: "someday" }),
      meta: { changes: [{ field: "bio", change: "TRUNCATED", reason: "SOURCE_FIELD_SIZE_LIMITATION" }] },
    };
    const batch = mapSync(mappers, [deepFreeze(input)]);
    expect(batch.changes).toBe(2);
    expect(batch.records[0]?.meta?.changes).toEqual([
      { field: "bio", change: "TRUNCATED", reason: "SOURCE_FIELD_SIZE_LIMITATION" },
      { field: "weight", change: "NULLED", reason: "PLATFORM_SERIALIZATION_ERROR" },
      { field: "birthday", change: "NULLED", reason: "PLATFORM_SERIALIZATION_ERROR" },
    ]);
    expect(input.meta?.changes).toHaveLength(1);
  });

  it("keeps the record's other fields, namespace and unknown ones included", () => {
    const input = {
      ...userRecord(),
      namespace: "public",
      file_reference: null,
      newer_protocol_field: { x: 1 },
    };
    const [out] = mapSync(compiled([{ type: "drop", field: "email" }], { stream: "users" }), [input]).records;
    expect(out).toEqual({ ...input, data: expect.not.objectContaining({ email: expect.anything() }) });
    expect(out?.namespace).toBe("public");
    expect(out?.newer_protocol_field).toEqual({ x: 1 });
  });

  it("reads records whose data is an accessor (as records read off a pipe are)", () => {
    const data = userRecord().data;
    const piped = {
      stream: "users",
      emitted_at: 1,
      get data() {
        return data;
      },
    } as unknown as AirbyteRecordMessage;
    const [out] = mapSync(compiled([{ type: "mask", field: "name", keep_first: 1 }]), [piped]).records;
    expect(out?.data.name).toBe("A***********");
    expect(Object.getOwnPropertyDescriptor(out, "data")?.get).toBeUndefined();
    expect(data.name).toBe("Alice Martin");
  });

  it("hands records back untouched when there is nothing to do", () => {
    const mappers = compiled([]);
    expect(mappers.isIdentity).toBe(true);
    expect(mappers.isAsync).toBe(false);
    const input = [userRecord()];
    expect(mapSync(mappers, input).records).toBe(input);
    expect(compiled([], { validation: "warn" }).isIdentity).toBe(false);
  });

  it("gives every stream its own schema copy and state", () => {
    const a = compiled([{ type: "drop", field: "email" }]);
    const b = compiled([{ type: "rename", field: "email", to: "mail" }]);
    expect(Object.keys(a.schema.properties as object)).not.toContain("mail");
    expect(Object.keys(b.schema.properties as object)).toContain("mail");
    expect(a.schema).not.toBe(usersSchema);
  });

  it("maps nested objects and lists of every shape without throwing", () => {
    const mappers = compiled([
      { type: "hash", field: "address.city", key: KEY },
      { type: "mask", field: "tags" },
      { type: "fake", field: "name", kind: "text", key: KEY },
      { type: "round", field: "created_at", unit: "day" },
    ]);
    const odd = [
      { address: "not an object", tags: "x", name: 3, created_at: 17 },
      { address: { city: { deep: [1, { x: null }] } }, tags: null, name: [], created_at: null },
      { address: [], tags: { a: 1 }, name: "😀\uD800", created_at: "2024-05-17T10:00:00" },
    ];
    const batch = mapSync(
      mappers,
      odd.map((row) => userRecord(row)),
    );
    expect(batch.records).toHaveLength(3);
    expect(batch.records[0]?.data.address).toBe("not an object");
    expect(batch.records[1]?.data.address).toEqual({ city: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(batch.records[2]?.data.created_at).toBe("2024-05-17T00:00:00");
    expect(batch.records[2]?.meta?.changes).toEqual([
      { field: "tags", change: "NULLED", reason: "PLATFORM_SERIALIZATION_ERROR" },
    ]);
  });

  it("never puts a key or a mapped value into an error", () => {
    const secretKey = "super-secret-key-123";
    const result = compileStreamMappers({
      stream: { name: "users", json_schema: usersSchema },
      mappers: MapperConfigList.parse([
        { type: "hash", field: "email", key: secretKey },
        { type: "filter", where: "email = 'alice@example.com' and nope = 1" },
      ]),
    });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(secretKey);
  });
});
