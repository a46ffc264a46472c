import { type JdbcUrlSettings, parseJdbcUrlParams } from "./jdbc-url-params.js";

/** Airbyte's `ssl_mode` object (source-mysql), e.g. `{ "mode": "verify_ca", "ca_certificate": "-----BEGIN…" }`. */
export interface MysqlSslModeConfig {
  readonly mode: string;
  readonly ca_certificate?: string;
  readonly client_certificate?: string;
  readonly client_key?: string;
  readonly client_key_password?: string;
}

/** The connection fields Airbyte's source-mysql and destination-mysql share. */
export interface MysqlConnectionConfig {
  readonly host: string;
  readonly port?: number;
  readonly database: string;
  readonly username: string;
  readonly password?: string;
  readonly jdbc_url_params?: string;
  /** Airbyte's older boolean: false turns TLS off unless `ssl_mode` says otherwise. */
  readonly ssl?: boolean;
  readonly ssl_mode?: MysqlSslModeConfig;
  readonly tunnel_method?: { readonly tunnel_method?: string };
}

export type TlsMode = "disabled" | "preferred" | "required" | "verify_ca" | "verify_identity";

/** Where and how to connect, checked and with defaults applied. */
export interface MysqlConnectSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string | undefined;
  readonly tls: TlsMode;
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly passphrase: string | undefined;
  readonly connectTimeoutMs: number;
  /** jdbc_url_params keys that have no effect here, for a warning. */
  readonly ignoredParams: readonly string[];
}

export const DEFAULT_PORT = 3306;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const TLS_MODES = new Set<string>(["disabled", "preferred", "required", "verify_ca", "verify_identity"]);

/** Expected problems come back as values; the message names the field. */
export type Resolved<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/**
 * Checks a config and applies defaults. TLS: `ssl_mode.mode` wins, then `sslMode` / `useSSL` in
 * `jdbc_url_params`, then `ssl: false` (disabled); the default is `preferred` (TLS when the
 * server offers it). Example: `resolveConnectSettings({ host: "db", database: "shop", username: "u" })`.
 */
export function resolveConnectSettings(config: MysqlConnectionConfig): Resolved<MysqlConnectSettings> {
  const host = typeof config.host === "string" ? config.host.trim() : "";
  if (host === "") return { ok: false, message: "config.host: must be a host name or address" };
  const port = config.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    return { ok: false, message: `config.port: must be a TCP port (1-65535), got ${String(port)}` };
  }
  if (typeof config.database !== "string" || config.database === "") {
    return { ok: false, message: "config.database: must name a database" };
  }
  if (typeof config.username !== "string" || config.username === "") {
    return { ok: false, message: "config.username: must not be empty" };
  }
  const tunnel = config.tunnel_method?.tunnel_method;
  if (tunnel !== undefined && tunnel !== "NO_TUNNEL") {
    return {
      ok: false,
      message: `config.tunnel_method: ${tunnel} is not supported yet; connect directly (NO_TUNNEL) or open the tunnel yourself (ssh -L) and point host/port at it`,
    };
  }
  const jdbc = parseJdbcUrlParams(config.jdbc_url_params);
  if (!jdbc.ok) return { ok: false, message: `config.${jdbc.message}` };
  const tls = tlsMode(config, jdbc.value);
  if (!tls.ok) return tls;
  const ssl = config.ssl_mode;
  const ca = nonEmpty(ssl?.ca_certificate);
  if ((tls.value === "verify_ca" || tls.value === "verify_identity") && ca === undefined) {
    return { ok: false, message: `config.ssl_mode.ca_certificate: required for mode ${tls.value}` };
  }
  const cert = nonEmpty(ssl?.client_certificate);
  const key = nonEmpty(ssl?.client_key);
  if ((cert === undefined) !== (key === undefined)) {
    return {
      ok: false,
      message: "config.ssl_mode: client_certificate and client_key go together; give both or neither",
    };
  }
  return {
    ok: true,
    value: {
      host,
      port,
      database: config.database,
      user: config.username,
      password: config.password,
      tls: tls.value,
      ca,
      cert,
      key,
      passphrase: nonEmpty(ssl?.client_key_password),
      connectTimeoutMs: jdbc.value.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ignoredParams: jdbc.value.ignored,
    },
  };
}

function tlsMode(config: MysqlConnectionConfig, jdbc: JdbcUrlSettings): Resolved<TlsMode> {
  const declared = config.ssl_mode?.mode;
  if (declared !== undefined) {
    const mode = declared.toLowerCase();
    if (!TLS_MODES.has(mode)) {
      return {
        ok: false,
        message: `config.ssl_mode.mode: must be one of ${[...TLS_MODES].join(", ")}, got "${declared}"`,
      };
    }
    return { ok: true, value: mode as TlsMode };
  }
  if (jdbc.sslMode !== undefined) return { ok: true, value: jdbc.sslMode as TlsMode };
  return { ok: true, value: config.ssl === false ? "disabled" : "preferred" };
}

const nonEmpty = (value: string | undefined): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;
