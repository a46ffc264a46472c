import { ConnectorError } from "@weir/cdk";

/** The fields of a node-postgres error (or a Node socket error) that classification reads. */
interface PgErrorFields {
  readonly code?: string;
  readonly message?: string;
  readonly where?: string;
  readonly detail?: string;
}

const fieldsOf = (error: unknown): PgErrorFields =>
  typeof error === "object" && error !== null ? (error as PgErrorFields) : { message: String(error) };

const messageOf = (error: unknown): string => fieldsOf(error).message ?? String(error);

/** Where a connection goes, for messages: `db.example.com:5432/app`. */
export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly username: string;
  readonly connectTimeoutSeconds: number;
}

const TLS_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_OSSL_PEM_NO_START_LINE",
  "ERR_OSSL_BAD_DECRYPT",
]);

/**
 * Classifies a failure to open a connection. Everything the user can fix (credentials, host,
 * port, database, TLS settings, an unreachable server) is a config_error, never retried; only a
 * server that is starting up or out of connection slots is transient.
 * Example: `classifyConnectError(err, target)` for ECONNREFUSED is a config_error naming host and port.
 */
export function classifyConnectError(error: unknown, target: ConnectionTarget): ConnectorError {
  const { code, message = String(error) } = fieldsOf(error);
  const where = `${target.host}:${target.port}`;
  const config = (text: string) => new ConnectorError("config_error", text, message);
  switch (code) {
    case "28P01":
      return config(
        `Authentication failed for user "${target.username}" on ${where}: check username and password`,
      );
    case "28000":
      return config(`The server at ${where} refused user "${target.username}": ${message}`);
    case "3D000":
      return config(`Database "${target.database}" does not exist on ${where}: check database`);
    case "42501":
      return config(`User "${target.username}" may not connect to "${target.database}": ${message}`);
    case "53300":
    case "57P03":
      return new ConnectorError(
        "transient_error",
        `The server at ${where} cannot accept a connection now: ${message}`,
        message,
      );
    case "ECONNREFUSED":
      return config(
        `Cannot connect to ${where}: connection refused (is the server running, are host and port right?)`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return config(`Host "${target.host}" not found: check host`);
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return config(`Cannot reach ${where} (${code}): check host, port and firewalls`);
  }
  if (code !== undefined && TLS_CODES.has(code)) {
    return config(`TLS with ${where} failed (${code}): ${message}; check ssl_mode and its certificates`);
  }
  if (/error establishing an SSL connection/i.test(message)) {
    return config(`${where} did not answer the TLS request as a Postgres server does: check host and port`);
  }
  if (/does not support SSL/i.test(message)) {
    return config(`The server at ${where} does not support TLS, and ssl_mode requires it`);
  }
  if (/timeout/i.test(message)) {
    return config(
      `Cannot reach ${where} within ${target.connectTimeoutSeconds} s: check host, port and firewalls`,
    );
  }
  if (/certificate|ssl|tls/i.test(message)) {
    return config(`TLS with ${where} failed: ${message}; check ssl_mode and its certificates`);
  }
  return config(`Cannot connect to ${where}/${target.database}: ${message}`);
}

// SQLSTATE classes and codes worth a retry: connection trouble, conflicts, lack of resources.
const TRANSIENT_CLASSES = new Set(["08", "53", "57"]);
const TRANSIENT_CODES = new Set(["40001", "40P01", "55P03", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);
const CONFIG_CODES = new Set(["42P01", "42703", "42501", "3F000", "42704"]);

/**
 * Classifies a failure of a statement on an open connection: a lost connection or a conflict is
 * transient, a missing table / column or a missing privilege is a config_error, the rest a
 * system_error. `context` says what was being done: `Reading "public"."users"`.
 */
export function classifyQueryError(error: unknown, context: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const { code } = fieldsOf(error);
  const message = messageOf(error);
  const text = `${context}: ${message}`;
  if (code !== undefined && (TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.has(code.slice(0, 2)))) {
    return new ConnectorError("transient_error", text, message);
  }
  if (/Connection terminated|connection.*closed|Client has encountered a connection error/i.test(message)) {
    return new ConnectorError(
      "transient_error",
      `${context}: the connection to the server was lost (${message})`,
      message,
    );
  }
  if (code !== undefined && CONFIG_CODES.has(code)) return new ConnectorError("config_error", text, message);
  return new ConnectorError("system_error", text, message);
}

/** The SQLSTATE of a node-postgres error, if it has one. Example: `sqlState(err) === "22P02"`. */
export function sqlState(error: unknown): string | undefined {
  const code = fieldsOf(error).code;
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The `where` context of a node-postgres error (COPY names the line and column there). */
export function errorWhere(error: unknown): string | undefined {
  return fieldsOf(error).where;
}
