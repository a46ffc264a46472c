import { defineDestination } from "@weir/cdk";
import { checkDuckdb } from "./check.js";
import { type DuckdbConfig, duckdbSpec } from "./config.js";
import { openDuckdbWriter } from "./duckdb-writer.js";

/**
 * Writes streams into typed tables of a local DuckDB file (append, overwrite, append_dedup).
 * Example: `await runEntrypoint(destinationDuckdb)`.
 */
export const destinationDuckdb = defineDestination<DuckdbConfig>({
  name: "destination-duckdb",
  version: "0.1.0",
  spec: duckdbSpec,
  check: checkDuckdb,
  open: openDuckdbWriter,
});
