export {
  type ConnectOptions,
  type ConnectResult,
  connectPostgres,
  type ResolvedConnection,
  resolveConnection,
} from "./connect.js";
export {
  jdbcUrlParamsProperty,
  type PostgresConnectionConfig,
  type SslModeConfig,
  sslModeProperty,
} from "./connection-spec.js";
export {
  type ConnectionTarget,
  classifyConnectError,
  classifyQueryError,
  errorWhere,
  sqlState,
} from "./postgres-errors.js";
export { qualifiedName, quoteIdentifier, quoteLiteral } from "./sql-identifiers.js";
