import type { ConnectorError, ConnectorLogger } from "@weir/cdk";
import type { Connection, ConnectionOptions, FieldPacket, QueryOptions } from "mysql2";
import { createConnection } from "mysql2";
import type { MysqlConnectSettings } from "./connection-config.js";
import { classifyMysqlError } from "./mysql-errors.js";

/** What the session is for: the source reads, the destination also loads files from streams. */
export interface SessionOptions {
  readonly role: "source" | "destination";
  readonly logger?: ConnectorLogger;
}

/**
 * The session settings every Weir connection runs with, whatever the server's defaults are:
 * UTC (TIMESTAMP values are read and written in UTC), backslash escapes on and ANSI_QUOTES off
 * (Weir's literals and identifiers rely on both), strict inserts for the destination.
 */
const SESSION_SQL = {
  source: "SET time_zone = '+00:00', sql_mode = 'NO_ENGINE_SUBSTITUTION', net_write_timeout = 3600",
  destination:
    "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO', net_read_timeout = 3600",
} as const;

/** One open connection with Weir's session settings. Example: `const rows = await session.query("SELECT 1 AS one")`. */
export class MysqlSession {
  constructor(
    /** The mysql2 connection, for streamed queries. */
    readonly connection: Connection,
    readonly settings: MysqlConnectSettings,
    /** Whether the connection is encrypted. */
    readonly tls: boolean,
  ) {}

  /** Rows as objects keyed by column name (use aliases for odd names: mysql2 refuses `__proto__`). */
  query<Row = Record<string, unknown>>(sql: string, values?: readonly unknown[]): Promise<Row[]> {
    return new Promise((resolve, reject) => {
      this.connection.query({ sql, values: values as unknown[] }, (error, rows) => {
        if (error) reject(error);
        else resolve(rows as Row[]);
      });
    });
  }

  /** Rows as arrays, with the fields: for result sets whose column names are data. */
  rows(sql: string, values?: readonly unknown[]): Promise<{ rows: unknown[][]; fields: FieldPacket[] }> {
    return new Promise((resolve, reject) => {
      this.connection.query(
        { sql, values: values as unknown[], rowsAsArray: true },
        (error, rows, fields) => {
          if (error) reject(error);
          else resolve({ rows: rows as unknown[][], fields: fields ?? [] });
        },
      );
    });
  }

  /** Runs a statement with extra query options (e.g. `infileStreamFactory` for LOAD DATA LOCAL INFILE). */
  run(options: QueryOptions): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.connection.query(options, (error, result) => {
        if (error) reject(error);
        else resolve(result);
      });
    });
  }

  /** Closes politely; a connection already broken is destroyed instead. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.connection.end(() => resolve());
    }).catch(() => undefined);
    this.connection.destroy();
  }
}

export type OpenedSession =
  | { readonly ok: true; readonly session: MysqlSession }
  | { readonly ok: false; readonly error: ConnectorError };

function connectionOptions(settings: MysqlConnectSettings, role: SessionOptions["role"], tls: boolean) {
  const options: ConnectionOptions = {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    database: settings.database,
    connectTimeout: settings.connectTimeoutMs,
    charset: "UTF8MB4_GENERAL_CI",
    // Values arrive as exact text where JavaScript numbers or Dates would change them.
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    enableKeepAlive: true,
    // A source never sends files; a server asking it for one gets nothing.
    flags: role === "source" ? ["-LOCAL_FILES"] : ["+LOCAL_FILES"],
  };
  if (settings.password !== undefined) options.password = settings.password;
  if (tls) {
    const verify = settings.tls === "verify_ca" || settings.tls === "verify_identity";
    options.ssl = {
      rejectUnauthorized: verify,
      ...(settings.ca === undefined ? {} : { ca: settings.ca }),
      ...(settings.cert === undefined ? {} : { cert: settings.cert }),
      ...(settings.key === undefined ? {} : { key: settings.key }),
      ...(settings.passphrase === undefined ? {} : { passphrase: settings.passphrase }),
    };
    // verify_ca trusts the CA but not the name: node checks the name unless told otherwise.
    if (settings.tls === "verify_ca") {
      (options.ssl as Record<string, unknown>).checkServerIdentity = () => undefined;
    }
  }
  return options;
}

function connect(options: ConnectionOptions): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const connection = createConnection(options);
    const onError = (error: unknown) => {
      connection.destroy();
      reject(error);
    };
    connection.once("error", onError);
    connection.connect((error) => {
      if (error) {
        onError(error);
        return;
      }
      connection.removeListener("error", onError);
      // A connection that breaks between queries surfaces in the next query's callback.
      connection.on("error", () => undefined);
      resolve(connection);
    });
  });
}

/**
 * Connects with the settings' TLS mode (preferred: TLS when the server offers it, else plain) and
 * sets Weir's session settings. Failures come back classified (wrong password, unknown database,
 * unreachable host, TLS: config errors). Example: `const opened = await openMysqlSession(settings, { role: "source" })`.
 */
export async function openMysqlSession(
  settings: MysqlConnectSettings,
  options: SessionOptions,
): Promise<OpenedSession> {
  const scene = { host: settings.host, port: settings.port, database: settings.database };
  const doing = `Connecting to MySQL at ${settings.host}:${settings.port}`;
  let tls = settings.tls !== "disabled";
  let connection: Connection;
  try {
    try {
      connection = await connect(connectionOptions(settings, options.role, tls));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (settings.tls !== "preferred" || code !== "HANDSHAKE_NO_SSL_SUPPORT") throw error;
      tls = false;
      connection = await connect(connectionOptions(settings, options.role, tls));
    }
  } catch (error) {
    return { ok: false, error: classifyMysqlError(error, doing, scene) };
  }
  const session = new MysqlSession(connection, settings, tls);
  try {
    await session.query(SESSION_SQL[options.role]);
  } catch (error) {
    await session.close();
    return { ok: false, error: classifyMysqlError(error, "Setting up the MySQL session", scene) };
  }
  if (settings.ignoredParams.length > 0) {
    options.logger?.log(
      "WARN",
      `jdbc_url_params: ignoring ${settings.ignoredParams.join(", ")} (only connectTimeout, sslMode, useSSL and requireSSL have an effect)`,
    );
  }
  return { ok: true, session };
}
