import type { AirbyteCatalog } from "@weir/protocol";
import { describe, expect, it } from "vitest";
import { buildConfiguredCatalog, type CatalogChoices } from "./configured-catalog.js";
import type { PipelineStream } from "./pipeline-file.js";

const catalog: AirbyteCatalog = {
  streams: [
    {
      name: "users",
      json_schema: {},
      supported_sync_modes: ["full_refresh", "incremental"],
      source_defined_cursor: true,
      default_cursor_field: ["updated_at"],
      source_defined_primary_key: [["id"]],
    },
    {
      name: "events",
      json_schema: {},
      supported_sync_modes: ["full_refresh", "incremental"],
      default_cursor_field: ["at"],
    },
    { name: "countries", json_schema: {}, supported_sync_modes: ["full_refresh"] },
  ],
};

const choices = (over: Partial<CatalogChoices> = {}): CatalogChoices => ({
  streams: undefined,
  fullRefresh: false,
  destinationSyncModes: ["append", "overwrite", "append_dedup"],
  pipelineName: "p.yaml",
  ...over,
});

const stream = (name: string, over: Partial<PipelineStream> = {}): PipelineStream => ({
  name,
  namespace: undefined,
  syncMode: undefined,
  destinationSyncMode: undefined,
  cursorField: undefined,
  primaryKey: undefined,
  mappers: [],
  validation: "off",
  ...over,
});

const summary = (result: ReturnType<typeof buildConfiguredCatalog>) => {
  if (!result.ok) throw new Error(result.failure.message);
  return result.value.streams.map((s) => [
    s.stream.name,
    s.sync_mode,
    s.destination_sync_mode,
    s.cursor_field,
    s.primary_key,
  ]);
};

const problem = (result: ReturnType<typeof buildConfiguredCatalog>): string => {
  if (result.ok) throw new Error("expected a failure");
  expect(result.failure.type).toBe("config_error");
  return result.failure.message;
};

describe("buildConfiguredCatalog", () => {
  it("selects every stream, incremental where possible, deduping when there is a key", () => {
    expect(summary(buildConfiguredCatalog(catalog, choices()))).toEqual([
      ["users", "incremental", "append_dedup", ["updated_at"], [["id"]]],
      ["events", "incremental", "append", ["at"], undefined],
      ["countries", "full_refresh", "overwrite", undefined, undefined],
    ]);
  });

  it("uses the pipeline's choices, in its order", () => {
    const streams = [
      stream("events", { cursorField: ["ts"], primaryKey: [["id"], ["kind"]] }),
      stream("users", { syncMode: "full_refresh", destinationSyncMode: "append" }),
    ];
    expect(summary(buildConfiguredCatalog(catalog, choices({ streams })))).toEqual([
      ["events", "incremental", "append_dedup", ["ts"], [["id"], ["kind"]]],
      ["users", "full_refresh", "append", ["updated_at"], [["id"]]],
    ]);
  });

  it("--full-refresh makes every stream full_refresh + overwrite", () => {
    const streams = [stream("users", { syncMode: "incremental", destinationSyncMode: "append_dedup" })];
    expect(summary(buildConfiguredCatalog(catalog, choices({ streams, fullRefresh: true })))).toEqual([
      ["users", "full_refresh", "overwrite", ["updated_at"], [["id"]]],
    ]);
  });

  it("falls back to append when the destination cannot dedup", () => {
    const result = buildConfiguredCatalog(
      catalog,
      choices({ destinationSyncModes: ["append", "overwrite"] }),
    );
    expect(summary(result)[0]).toEqual(["users", "incremental", "append", ["updated_at"], [["id"]]]);
  });

  it("lists the source's streams when the pipeline names one it lacks", () => {
    const message = problem(
      buildConfiguredCatalog(catalog, choices({ streams: [stream("userz"), stream("orders")] })),
    );
    expect(message).toBe(
      [
        'p.yaml: streams[0]: the source has no stream userz (did you mean "users"?); its streams are: users, events, countries',
        "p.yaml: streams[1]: the source has no stream orders; its streams are: users, events, countries",
      ].join("\n"),
    );
  });

  it("refuses choices the source or destination cannot honour", () => {
    const cases: [PipelineStream, string][] = [
      [
        stream("countries", { syncMode: "incremental" }),
        "sync_mode incremental is not supported by the source (supported: full_refresh)",
      ],
      [
        stream("users", { cursorField: ["created_at"] }),
        "cursor_field is defined by the source (updated_at) and cannot be changed",
      ],
      [stream("events", { destinationSyncMode: "append_dedup" }), "append_dedup needs a primary_key"],
    ];
    for (const [settings, expected] of cases) {
      expect(problem(buildConfiguredCatalog(catalog, choices({ streams: [settings] })))).toContain(expected);
    }
    const noCursor: AirbyteCatalog = {
      streams: [{ name: "x", json_schema: {}, supported_sync_modes: ["incremental"] }],
    };
    expect(problem(buildConfiguredCatalog(noCursor, choices()))).toContain(
      "incremental needs a cursor_field",
    );
    const onlyAppend = choices({ destinationSyncModes: ["append"] });
    expect(problem(buildConfiguredCatalog(catalog, { ...onlyAppend, fullRefresh: true }))).toContain(
      "the destination does not support destination_sync_mode overwrite (supported: append)",
    );
  });
});
