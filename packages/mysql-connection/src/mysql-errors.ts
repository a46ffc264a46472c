import { ConnectorError } from "@weir/cdk";

/** The fields mysql2 (and Node's net/tls) put on their errors. */
interface DriverError {
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly sqlMessage?: unknown;
  readonly message?: unknown;
}

const CREDENTIALS = new Set([
  "ER_ACCESS_DENIED_ERROR",
  "ER_ACCESS_DENIED_NO_PASSWORD_ERROR",
  "ER_DBACCESS_DENIED_ERROR",
  "ER_NOT_SUPPORTED_AUTH_MODE",
  "ER_PASSWORD_NO_MATCH",
  "ER_MUST_CHANGE_PASSWORD",
  "ER_MUST_CHANGE_PASSWORD_LOGIN",
  "ER_ACCOUNT_HAS_BEEN_LOCKED",
  "AUTH_SWITCH_PLUGIN_ERROR",
]);
const PRIVILEGES = new Set([
  "ER_TABLEACCESS_DENIED_ERROR",
  "ER_COLUMNACCESS_DENIED_ERROR",
  "ER_SPECIFIC_ACCESS_DENIED_ERROR",
  "ER_PROCACCESS_DENIED_ERROR",
  "ER_CANT_CREATE_TABLE",
  "ER_OPTION_PREVENTS_STATEMENT",
  "ER_CANNOT_USER",
]);
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ETIMEDOUT",
  "ECONNABORTED",
]);
const TLS = new Set([
  "HANDSHAKE_NO_SSL_SUPPORT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_OSSL_PEM_NO_START_LINE",
  "ERR_OSSL_BAD_DECRYPT",
]);
const SCHEMA_CHANGED = new Set([
  "ER_NO_SUCH_TABLE",
  "ER_BAD_FIELD_ERROR",
  "ER_BAD_TABLE_ERROR",
  "ER_TABLE_DEF_CHANGED",
  "ER_VIEW_INVALID",
]);
const TRANSIENT = new Set([
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ECONNRESET",
  "EPIPE",
  "ER_CON_COUNT_ERROR",
  "ER_TOO_MANY_USER_CONNECTIONS",
  "ER_SERVER_SHUTDOWN",
  "ER_NORMAL_SHUTDOWN",
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_QUERY_INTERRUPTED",
  "ER_NET_READ_INTERRUPTED",
  "ER_NET_WRITE_INTERRUPTED",
  "ER_NET_READ_ERROR",
  "ER_NET_ERROR_ON_WRITE",
  "ER_CLIENT_INTERACTION_TIMEOUT",
  "ER_STATEMENT_TIMEOUT",
  "ER_OUT_OF_RESOURCES",
  "ER_RECORD_FILE_FULL",
  "ER_DISK_FULL",
]);

/** Where an error happened, for its message: the server, and what Weir was doing. */
export interface ErrorScene {
  readonly host: string;
  readonly port: number;
  readonly database?: string;
}

const codeOf = (error: DriverError): string => (typeof error.code === "string" ? error.code : "");
const textOf = (error: DriverError): string =>
  typeof error.sqlMessage === "string"
    ? error.sqlMessage
    : typeof error.message === "string"
      ? error.message
      : String(error);

/**
 * Turns a mysql2 or network error into a classified ConnectorError whose message says what to
 * fix: wrong credentials, an unknown database, an unreachable host and TLS trouble are config
 * errors (a retry cannot help); a dropped connection, deadlock or full server is transient; a
 * table dropped or altered under a running sync is a config error (rediscover the catalog).
 * Example: `throw classifyMysqlError(err, "Reading users", { host, port })`.
 */
export function classifyMysqlError(error: unknown, doing: string, scene: ErrorScene): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (typeof error !== "object" || error === null) {
    return new ConnectorError("system_error", `${doing}: ${String(error)}`, String(error));
  }
  const driver = error as DriverError;
  const code = codeOf(driver);
  const text = textOf(driver);
  const where = `${scene.host}:${scene.port}`;
  const options = { cause: error };
  if (CREDENTIALS.has(code)) {
    return new ConnectorError(
      "config_error",
      `${doing}: the server at ${where} refused the login; check username and password (${text})`,
      text,
      options,
    );
  }
  if (code === "ER_BAD_DB_ERROR") {
    return new ConnectorError(
      "config_error",
      `${doing}: database ${JSON.stringify(scene.database ?? "")} does not exist on ${where}; check config.database`,
      text,
      options,
    );
  }
  if (UNREACHABLE.has(code)) {
    return new ConnectorError(
      "config_error",
      `${doing}: cannot reach a MySQL server at ${where} (${code}); check host, port and the network`,
      text,
      options,
    );
  }
  if (TLS.has(code)) {
    const hint =
      code === "HANDSHAKE_NO_SSL_SUPPORT"
        ? "the server does not offer TLS; use ssl_mode preferred or disabled, or enable TLS on the server"
        : "check ssl_mode and its certificates";
    return new ConnectorError(
      "config_error",
      `${doing}: TLS failed with ${where}: ${hint} (${text})`,
      text,
      options,
    );
  }
  if (PRIVILEGES.has(code)) {
    return new ConnectorError("config_error", `${doing}: the user lacks a privilege: ${text}`, text, options);
  }
  if (SCHEMA_CHANGED.has(code)) {
    return new ConnectorError(
      "config_error",
      `${doing}: ${text}. The table was dropped or altered during the sync; run discover again and update the catalog`,
      text,
      options,
    );
  }
  if (TRANSIENT.has(code)) {
    return new ConnectorError(
      "transient_error",
      `${doing}: ${text} (${code}); a retry may succeed`,
      text,
      options,
    );
  }
  return new ConnectorError(
    "system_error",
    `${doing}: ${text}${code === "" ? "" : ` (${code})`}`,
    text,
    options,
  );
}
