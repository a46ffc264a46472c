export { parseArrayLiteral } from "./array-literal.js";
export { type ColumnCodec, codecFor } from "./column-codecs.js";
export { CopyBinaryParser } from "./copy-binary-parser.js";
export { DEFAULT_READ_TUNING, type ReadTuning } from "./read-plans.js";
export { createSourcePostgres, sourcePostgres } from "./source-postgres.js";
export { type SourcePostgresConfig, sourcePostgresSpec } from "./source-postgres-spec.js";
