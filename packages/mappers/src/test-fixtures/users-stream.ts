// A stream and records for the mappers' tests, and helpers that compile and map in one call.
import type { AirbyteRecordMessage } from "@weir/protocol";
import {
  type CompiledStreamMappers,
  compileStreamMappers,
  type MappedBatch,
} from "../compile-stream-mappers.js";
import { MapperConfigList, type RecordValidationMode } from "../mapper-config.js";

export const KEY = "test-key-not-a-secret";
export const AES_KEY = "a1".repeat(32);

/** Shaped like source-faker's users, plus a nested object and a date. */
export const usersSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["id", "email"],
  properties: {
    id: { type: "number" },
    name: { type: "string", description: "full name" },
    email: { type: "string" },
    telephone: { type: ["null", "string"] },
    age: { type: "integer" },
    nationality: { type: "string" },
    occupation: { type: "string" },
    blood_type: { type: "string" },
    weight: { type: "number" },
    birthday: { type: "string", format: "date" },
    created_at: { type: "string", format: "date-time", airbyte_type: "timestamp_with_timezone" },
    address: {
      type: ["null", "object"],
      properties: { city: { type: "string" }, street: { type: "string" } },
    },
    tags: { type: "array", items: { type: "string" } },
  },
} as const;

export const userData = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 1,
  name: "Alice Martin",
  email: "alice@example.com",
  telephone: "+31 6 1234 5678",
  age: 40,
  nationality: "Dutch",
  occupation: "engineer",
  blood_type: "A+",
  weight: 61.27,
  birthday: "1984-02-29",
  created_at: "2024-05-17T13:45:12.123+02:00",
  address: { city: "Utrecht", street: "Oudegracht 1" },
  tags: ["a", "b"],
  ...overrides,
});

export const userRecord = (
  overrides: Record<string, unknown> = {},
  stream = "users",
): AirbyteRecordMessage => ({
  stream,
  emitted_at: 1_700_000_000_000,
  data: userData(overrides),
});

/** Compiles mappers for a stream (users by default) or throws the config error. */
export function compiled(
  mappers: unknown[],
  options: {
    stream?: string;
    schema?: Record<string, unknown>;
    validation?: RecordValidationMode;
    baseDirectory?: string;
  } = {},
): CompiledStreamMappers {
  const result = compileStreamMappers({
    stream: { name: options.stream ?? "users", json_schema: options.schema ?? usersSchema },
    mappers: MapperConfigList.parse(mappers),
    validation: options.validation,
    baseDirectory: options.baseDirectory,
  });
  if (!result.ok) throw new Error(result.failure.message);
  return result.value;
}

/** The config error compiling these mappers gives (throws when they compile). */
export function compileError(mappers: unknown[], schema: Record<string, unknown> = usersSchema): string {
  const result = compileStreamMappers({
    stream: { name: "users", json_schema: schema },
    mappers: MapperConfigList.parse(mappers),
  });
  if (result.ok) throw new Error("expected a config error");
  if (result.failure.type !== "config_error")
    throw new Error(`expected a config error, got ${result.failure.type}`);
  return result.failure.message;
}

/** Maps records with a synchronous mapper list; throws on a failure. */
export function mapSync(mappers: CompiledStreamMappers, records: AirbyteRecordMessage[]): MappedBatch {
  const result = mappers.mapBatch(records);
  if (result instanceof Promise) throw new Error("expected a synchronous mapBatch");
  if (!result.ok) throw new Error(result.failure.message);
  return result.value;
}

/** The data of one record mapped by these mappers. */
export function mapData(
  mappers: unknown[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> | undefined {
  return mapSync(compiled(mappers), [userRecord(overrides)]).records[0]?.data;
}

/** One record mapped by these mappers (the whole record, with meta). */
export function mapRecord(
  mappers: unknown[],
  overrides: Record<string, unknown> = {},
): AirbyteRecordMessage | undefined {
  return mapSync(compiled(mappers), [userRecord(overrides)]).records[0];
}
