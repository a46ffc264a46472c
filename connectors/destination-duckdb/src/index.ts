export { columnTypeFor, type DuckdbColumnType } from "./column-type.js";
export { DEFAULT_SCHEMA, type DuckdbConfig, duckdbSpec, resolveDuckdbConfig } from "./config.js";
export { destinationDuckdb } from "./destination-duckdb.js";
export { DEFAULT_TUNING, type DuckdbWriterTuning, openDuckdbWriter } from "./duckdb-writer.js";
