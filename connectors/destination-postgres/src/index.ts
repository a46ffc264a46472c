export { columnTypeFor, type PostgresColumnType, planColumns } from "./column-plan.js";
export { copyText, encoderFor } from "./copy-values.js";
export { createDestinationPostgres, destinationPostgres } from "./destination-postgres.js";
export {
  DEFAULT_SCHEMA,
  type DestinationPostgresConfig,
  destinationPostgresSpec,
} from "./destination-postgres-spec.js";
export { DEFAULT_WRITER_TUNING, type PostgresWriterTuning } from "./postgres-writer.js";
