import { describe, expect, it } from "vitest";
import { failedIds, resultOf, testConnector } from "./test-fixtures/acceptance-helpers.js";
import {
  SAMPLE_CONFIG,
  type SampleChanges,
  sampleSource,
  updatedAt,
  user,
} from "./test-fixtures/sample-source.js";

// Each case is a CDK source broken one way; the checks that must catch it, and only those, fail.

const spec = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  connectionSpecification: {
    type: "object",
    required: ["count"],
    properties: { count: { type: "integer" }, ...properties },
    ...extra,
  },
});

/** Reads every user, whatever the state says. */
async function* allUsers({ config }: { config: { count: number } }) {
  const records = Array.from({ length: config.count }, (_, i) => user(i + 1));
  yield { records, state: { updated_at: updatedAt(config.count) } };
}

const cases: {
  name: string;
  changes: SampleChanges;
  config?: unknown;
  fails: string[];
  reason: string;
  failureType?: string;
}[] = [
  {
    name: "a spec that is not JSON Schema",
    changes: { spec: spec({ count: { type: "integr" } }) },
    // The CDK validates every config against the spec, so nothing that takes a config works.
    fails: ["spec.valid_json_schema", "check.succeeds", "discover.catalog"],
    reason:
      "connectionSpecification is not a valid JSON Schema: schema is invalid: data/properties/count/type",
  },
  {
    name: "a password not marked secret",
    changes: { spec: spec({ password: { type: "string" } }) },
    fails: ["spec.secrets_marked"],
    reason: "password: looks like a secret but is not marked airbyte_secret",
  },
  {
    name: "a secret flag on a boolean",
    changes: { spec: spec({ verbose: { type: "boolean", airbyte_secret: true } }) },
    fails: ["spec.secrets_marked"],
    reason: "verbose: is marked airbyte_secret but is of type boolean",
  },
  {
    name: "a $ref",
    changes: {
      spec: spec(
        { region: { $ref: "#/definitions/region" } },
        { definitions: { region: { type: "string" } } },
      ),
    },
    fails: ["spec.no_ref"],
    reason: 'region: uses $ref "#/definitions/region"',
  },
  {
    name: "additionalProperties false",
    changes: {
      spec: spec({ password: { type: "string", airbyte_secret: true } }, { additionalProperties: false }),
    },
    fails: ["spec.additional_properties_true"],
    reason: "(root): additionalProperties is false, it must be true",
  },
  {
    name: "a type list of two real types",
    changes: {
      spec: spec({
        password: { type: "string", airbyte_secret: true },
        limit: { type: ["string", "integer"] },
      }),
    },
    fails: ["spec.type_list_shape"],
    reason: 'limit: type ["string","integer"] is a union',
  },
  {
    name: "a oneOf without a const discriminator",
    changes: {
      spec: spec({
        password: { type: "string", airbyte_secret: true },
        auth: {
          type: "object",
          oneOf: [
            { properties: { method: { type: "string" }, user: { type: "string" } } },
            { properties: { method: { type: "string" }, token: { type: "string", airbyte_secret: true } } },
          ],
        },
      }),
    },
    fails: ["spec.oneof_usage"],
    reason: "auth.oneOf: exactly one shared property must have a const in every variant (found 0)",
  },
  {
    name: "a check that fails with a good config",
    changes: { check: async () => ({ ok: false, message: "cannot reach the API" }) },
    fails: ["check.succeeds"],
    reason: "check answered FAILED: cannot reach the API",
    failureType: "config_error",
  },
  {
    name: "a primary key missing from the schema",
    changes: { users: { primaryKey: [["uid"]] } },
    // The records have no uid either.
    fails: ["discover.primary_keys_in_schema", "read.pk_values"],
    reason: "users: primary key uid is not in the schema",
  },
  {
    name: "a default cursor missing from the schema",
    changes: { users: { defaultCursorField: ["modified"] } },
    // The resume check then finds no cursor value to allow a boundary repeat, and still passes.
    fails: ["discover.cursors_in_schema"],
    reason: "users: default cursor modified is not in the schema",
  },
  {
    name: "a stream schema that is not JSON Schema",
    changes: { events: { jsonSchema: { type: "object", properties: { kind: { type: 5 } } } } },
    fails: ["discover.valid_json_schemas", "read.schema"],
    reason: "events: json_schema is not a valid JSON Schema",
  },
  {
    name: "a stream schema with allOf",
    changes: {
      events: { jsonSchema: { type: "object", allOf: [{ properties: { kind: { type: "string" } } }] } },
    },
    fails: ["discover.schema_keywords"],
    reason: "events: (root): uses allOf",
  },
  {
    name: "a stream without sync modes",
    changes: { events: { supportedSyncModes: [] } },
    // The official schema wants at least one mode too.
    fails: ["discover.sync_modes", "protocol.messages_valid"],
    reason: "events: supported_sync_modes is empty",
  },
  {
    name: "records that do not match their schema",
    changes: {
      events: {
        async *read() {
          yield { records: [{ kind: 7 }, { kind: "login", extra: true }] };
        },
      },
    },
    fails: ["read.schema"],
    reason: "events: /kind must be string; events: field extra is not in the schema",
  },
  {
    name: "a config that reads nothing",
    changes: { events: null },
    config: { count: 0 },
    fails: ["read.records", "incremental.state_emitted"],
    reason: "no records: test with a config that reads some data",
    failureType: "config_error",
  },
  {
    name: "records whose primary key is null",
    changes: {
      users: {
        async *read({ state }) {
          const from = (state as { updated_at?: string } | undefined)?.updated_at;
          if (from !== undefined && from >= updatedAt(1)) {
            yield { records: [], state: { updated_at: from } };
            return;
          }
          yield {
            records: [{ id: null, name: "x", updated_at: updatedAt(1) }],
            state: { updated_at: updatedAt(1) },
          };
        },
        jsonSchema: {
          type: "object",
          properties: {
            id: { type: ["null", "integer"] },
            name: { type: "string" },
            updated_at: { type: "string" },
          },
        },
      },
    },
    fails: ["read.pk_values"],
    reason: "users: a record whose primary key is null",
  },
  {
    name: "different records on each read",
    changes: {
      events: {
        async *read() {
          yield { records: [{ kind: `visit ${Math.random()}` }] };
        },
      },
    },
    fails: ["full_refresh.same_records"],
    reason: "events: 1 record(s) only in the first read",
  },
  {
    name: "an incremental read that ignores its state",
    changes: { users: { read: allUsers } },
    fails: ["incremental.second_read", "incremental.future_state", "incremental.resume_from_checkpoints"],
    reason:
      'users: id=1 has updated_at "2024-02-01T08:00:00+00:00", older than the state\'s "2024-02-05T08:00:00+00:00"',
  },
  {
    name: "checkpoints that claim one record too many",
    changes: {
      users: {
        async *read({ config, state, syncMode }) {
          const from =
            syncMode === "incremental"
              ? (state as { updated_at?: string } | undefined)?.updated_at
              : undefined;
          const ids = Array.from({ length: config.count }, (_, i) => i + 1).filter(
            (id) => from === undefined || updatedAt(id) > from,
          );
          for (let i = 0; i < ids.length; i += 2) {
            const chunk = ids.slice(i, i + 2);
            const next = Math.min((chunk.at(-1) ?? 0) + 1, config.count);
            yield { records: chunk.map(user), state: { updated_at: updatedAt(next) } };
          }
        },
      },
    },
    fails: ["incremental.resume_from_checkpoints"],
    reason: "users, from checkpoint 1 of 3: lost 1 record(s), e.g. id=3",
  },
  {
    name: "checkpoints that lag behind what they delivered",
    changes: {
      users: {
        async *read({ config, state, syncMode }) {
          const from =
            syncMode === "incremental"
              ? (state as { updated_at?: string } | undefined)?.updated_at
              : undefined;
          const ids = Array.from({ length: config.count }, (_, i) => i + 1).filter(
            (id) => from === undefined || updatedAt(id) > from,
          );
          for (let i = 0; i < ids.length; i += 2) {
            const chunk = ids.slice(i, i + 2);
            // Each state names the record before the chunk, except the last one.
            const cursor = i + 2 >= ids.length ? (chunk.at(-1) ?? 0) : (chunk[0] ?? 1) - 1;
            yield { records: chunk.map(user), state: { updated_at: updatedAt(cursor) } };
          }
        },
      },
    },
    fails: ["incremental.resume_from_checkpoints"],
    reason: "users, from checkpoint 1 of 3: repeated 1 record(s), e.g. id=1",
  },
];

describe("source checks catch a source broken one way", () => {
  for (const c of cases) {
    it(c.fails.length === 0 ? `passes ${c.name}` : `fails ${c.fails.join(", ")} for ${c.name}`, async () => {
      const report = await testConnector(sampleSource(c.changes), c.config ?? SAMPLE_CONFIG);
      expect(failedIds(report)).toEqual(c.fails);
      const first = c.fails[0];
      if (first !== undefined) {
        expect(resultOf(report, first).reason).toContain(c.reason);
        expect(resultOf(report, first).failureType).toBe(c.failureType ?? "system_error");
      }
    });
  }

  it("fails check.fails when check answers SUCCEEDED for an invalid config", async () => {
    // The spec allows a negative count, and check() says yes to anything.
    const lenient = sampleSource({
      spec: spec({ password: { type: "string", airbyte_secret: true } }),
      check: async () => ({ ok: true }),
    });
    const report = await testConnector(lenient, SAMPLE_CONFIG, {
      invalidConfigs: [{ label: "negative.json", config: { count: -3 } }],
    });
    expect(failedIds(report)).toEqual(["check.fails"]);
    expect(resultOf(report, "check.fails").reason).toBe("check SUCCEEDED with an invalid config");
  });

  it("skips the future-state check when no state holds the cursor, and says why", async () => {
    const report = await testConnector(
      sampleSource({
        users: {
          async *read({ config }) {
            yield {
              records: Array.from({ length: config.count }, (_, i) => user(i + 1)),
              state: { position: config.count },
            };
          },
        },
      }),
      SAMPLE_CONFIG,
    );
    expect(resultOf(report, "incremental.future_state")).toMatchObject({
      status: "skipped",
      reason: "no future state given, and none can be derived: no stream's state holds its cursor field",
    });
  });
});
