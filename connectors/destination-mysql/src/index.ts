export { columnTypeFor, type MysqlColumnType } from "./column-type.js";
export { createDestinationMysql, destinationMysql } from "./destination-mysql.js";
export { type DestinationMysqlConfig, destinationMysqlSpec } from "./destination-spec.js";
export { DEFAULT_WRITER_TUNING, type MysqlWriterTuning } from "./mysql-writer.js";
export type { LoadFormat } from "./row-encoder.js";
