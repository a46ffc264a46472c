export { type ColumnInfo, type ColumnType, columnTypeFor, type ValueKind } from "./column-types.js";
export { createSourceMysql, sourceMysql, suggestedCursor } from "./source-mysql.js";
export { type SourceMysqlConfig, sourceMysqlSpec } from "./source-spec.js";
export {
  type MysqlStreamState,
  readStreamState,
  type StateStream,
  writeStreamState,
} from "./stream-state.js";
export { DEFAULT_READ_TUNING, type ReadTuning } from "./table-reader.js";
