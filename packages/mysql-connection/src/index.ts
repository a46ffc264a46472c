export {
  DEFAULT_PORT,
  type MysqlConnectionConfig,
  type MysqlConnectSettings,
  type MysqlSslModeConfig,
  type Resolved,
  resolveConnectSettings,
  type TlsMode,
} from "./connection-config.js";
export {
  MYSQL_SPEC_GROUPS,
  mysqlConnectionProperties,
  sslModeProperty,
  tunnelMethodProperty,
} from "./connection-spec.js";
export { type JdbcParse, type JdbcUrlSettings, parseJdbcUrlParams } from "./jdbc-url-params.js";
export { classifyMysqlError, type ErrorScene } from "./mysql-errors.js";
export { MysqlSession, type OpenedSession, openMysqlSession, type SessionOptions } from "./mysql-session.js";
export { qualifiedTable, quoteIdentifier, quoteString } from "./sql-identifiers.js";
