import { describe, expect, it } from "vitest";
import { resolveDuckdbConfig } from "./config.js";

describe("resolveDuckdbConfig", () => {
  it("resolves a relative path against the working directory and defaults the schema", () => {
    expect(resolveDuckdbConfig({ destination_path: "./data/x.duckdb" }, "/work")).toEqual({
      ok: true,
      value: { path: "/work/data/x.duckdb", schema: "main", ignoredMotherduckKey: false },
    });
  });

  it("keeps an absolute path, including Airbyte's /local/ convention, as given", () => {
    const resolved = resolveDuckdbConfig({ destination_path: "/local/x.duckdb", schema: "raw" }, "/work");
    expect(resolved).toMatchObject({ ok: true, value: { path: "/local/x.duckdb", schema: "raw" } });
  });

  it("rejects MotherDuck with a config error", () => {
    const resolved = resolveDuckdbConfig({ destination_path: "md:my_db" });
    expect(resolved.ok).toBe(false);
    if (!resolved.ok) {
      expect(resolved.error.failureType).toBe("config_error");
      expect(resolved.error.message).toMatch(/MotherDuck .* not supported/);
    }
  });

  it("flags a MotherDuck key as ignored", () => {
    const resolved = resolveDuckdbConfig(
      { destination_path: "x.duckdb", motherduck_api_key: "secret" },
      "/w",
    );
    expect(resolved).toMatchObject({ ok: true, value: { ignoredMotherduckKey: true } });
  });

  it("rejects an empty path", () => {
    expect(resolveDuckdbConfig({ destination_path: " " }).ok).toBe(false);
  });
});
