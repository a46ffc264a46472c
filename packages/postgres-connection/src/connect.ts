import type { ConnectionOptions } from "node:tls";
import { type ConnectorError, configError } from "@weir/cdk";
import pg from "pg";
import type { PostgresConnectionConfig, SslModeConfig } from "./connection-spec.js";
import { type ConnectionTarget, classifyConnectError } from "./postgres-errors.js";

/** How `connectPostgres` opens a session. */
export interface ConnectOptions {
  /** `application_name` of the session, seen in pg_stat_activity. */
  readonly applicationName: string;
  /** Session settings sent with the startup packet, e.g. `{ TimeZone: "UTC" }`. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A parsed config: what to connect to, and what of `jdbc_url_params` was not understood. */
export interface ResolvedConnection {
  readonly target: ConnectionTarget;
  readonly sslMode: SslModeConfig["mode"];
  readonly ignoredParams: readonly string[];
  readonly extraOptions: string | undefined;
  readonly applicationName: string | undefined;
}

export type ConnectResult =
  | { readonly ok: true; readonly client: pg.Client; readonly tls: boolean }
  | { readonly ok: false; readonly error: ConnectorError };

const SSL_MODES = new Set(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]);
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

/**
 * Reads the connection part of an Airbyte Postgres config; a config that cannot work is a
 * config_error naming the field. Example: `resolveConnection({ host: "db", database: "app", username: "u" })`.
 */
export function resolveConnection(
  config: PostgresConnectionConfig,
): { ok: true; value: ResolvedConnection } | { ok: false; error: ConnectorError } {
  const tunnel = config.tunnel_method?.tunnel_method;
  if (tunnel !== undefined && tunnel !== "NO_TUNNEL") {
    return {
      ok: false,
      error: configError(`tunnel_method ${tunnel}: SSH tunnels are not supported yet; connect directly`),
    };
  }
  let connectTimeoutSeconds = DEFAULT_CONNECT_TIMEOUT_SECONDS;
  let applicationName: string | undefined;
  let extraOptions: string | undefined;
  let jdbcSslMode: string | undefined;
  const ignoredParams: string[] = [];
  for (const pair of (config.jdbc_url_params ?? "").split("&")) {
    if (pair.trim() === "") continue;
    const eq = pair.indexOf("=");
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = decodeURIComponent(eq < 0 ? "" : pair.slice(eq + 1).trim());
    if (key === "connectTimeout") {
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds < 0) {
        return {
          ok: false,
          error: configError(`jdbc_url_params: connectTimeout must be seconds, got "${value}"`),
        };
      }
      connectTimeoutSeconds = seconds;
    } else if (key === "ApplicationName") applicationName = value;
    else if (key === "options") extraOptions = value;
    else if (key === "sslmode") jdbcSslMode = value;
    else ignoredParams.push(key);
  }
  const mode = config.ssl_mode?.mode ?? jdbcSslMode ?? (config.ssl === true ? "require" : "prefer");
  if (!SSL_MODES.has(mode)) {
    return { ok: false, error: configError(`ssl_mode.mode: unknown mode "${mode}"`) };
  }
  if ((mode === "verify-ca" || mode === "verify-full") && !config.ssl_mode?.ca_certificate) {
    return { ok: false, error: configError(`ssl_mode.ca_certificate: required for mode ${mode}`) };
  }
  return {
    ok: true,
    value: {
      target: {
        host: config.host,
        port: config.port ?? 5432,
        database: config.database,
        username: config.username,
        connectTimeoutSeconds,
      },
      sslMode: mode as SslModeConfig["mode"],
      ignoredParams,
      extraOptions,
      applicationName,
    },
  };
}

function tlsOptions(mode: SslModeConfig["mode"], ssl: SslModeConfig | undefined): ConnectionOptions | false {
  if (mode === "disable" || mode === "allow") return false;
  if (mode === "prefer" || mode === "require") return { rejectUnauthorized: false };
  const options: ConnectionOptions = { rejectUnauthorized: true };
  if (ssl?.ca_certificate) options.ca = ssl.ca_certificate;
  if (ssl?.client_certificate) options.cert = ssl.client_certificate;
  if (ssl?.client_key) options.key = ssl.client_key;
  if (ssl?.client_key_password) options.passphrase = ssl.client_key_password;
  // verify-ca checks the chain only, as libpq does; verify-full also the host name.
  if (mode === "verify-ca") options.checkServerIdentity = () => undefined;
  return options;
}

// The startup packet's `options`: each setting as `-c name=value`, spaces escaped.
function startupOptions(settings: Readonly<Record<string, string>>, extra: string | undefined): string {
  const parts = Object.entries(settings).map(([k, v]) => `-c ${k}=${v.replaceAll(" ", "\\ ")}`);
  if (extra) parts.push(extra);
  return parts.join(" ");
}

async function tryConnect(
  resolved: ResolvedConnection,
  config: PostgresConnectionConfig,
  options: ConnectOptions,
  ssl: ConnectionOptions | false,
): Promise<pg.Client> {
  const { target } = resolved;
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.username,
    // An empty password would make pg look for PGPASSWORD and ~/.pgpass: a config says it all.
    password: config.password ?? "",
    ssl,
    application_name: resolved.applicationName ?? options.applicationName,
    options: startupOptions(options.settings ?? {}, resolved.extraOptions),
    keepAlive: true,
  });
  // A connection lost while idle emits 'error' on the client; the next query reports it.
  client.on("error", () => {});
  let timedOut = false;
  const stop = idleTimeout(target.connectTimeoutSeconds * 1000, () => {
    timedOut = true;
    client.end().catch(() => {});
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw timedOut ? Object.assign(new Error("timeout expired"), { code: "ETIMEDOUT" }) : error;
  } finally {
    stop();
  }
  return client;
}

const TICK_MS = 250;

/**
 * Calls `onTimeout` once `ms` of waiting went by, counting only ticks that came on time: when
 * the event loop was blocked (a big record being encoded in the same process), the wait was
 * not the server's fault, and a plain timer would fire the moment the loop is free again,
 * before the answer that already arrived is read. Returns a function that cancels it.
 */
function idleTimeout(ms: number, onTimeout: () => void): () => void {
  let waited = 0;
  let last = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    // A tick far later than asked means a blocked loop: that time does not count.
    if (elapsed < TICK_MS * 4) waited += elapsed;
    if (waited >= ms) onTimeout();
    else timer = setTimeout(tick, TICK_MS);
  };
  if (ms > 0) timer = setTimeout(tick, TICK_MS);
  return () => clearTimeout(timer);
}

const serverRejected = (error: unknown) =>
  typeof error === "object" && error !== null && String((error as { code?: unknown }).code).startsWith("28");

/**
 * Opens one session as libpq would for the config's ssl_mode (`allow` and `prefer` fall back
 * between plain and TLS). Failures are classified: wrong credentials, a missing database, an
 * unknown or unreachable host are config errors.
 * Example: `const c = await connectPostgres(config, { applicationName: "weir" }); if (c.ok) await c.client.query("SELECT 1")`.
 */
export async function connectPostgres(
  config: PostgresConnectionConfig,
  options: ConnectOptions,
): Promise<ConnectResult> {
  const resolved = resolveConnection(config);
  if (!resolved.ok) return resolved;
  const { sslMode, target } = resolved.value;
  const primary = tlsOptions(sslMode, config.ssl_mode);
  try {
    const client = await tryConnect(resolved.value, config, options, primary);
    return { ok: true, client, tls: primary !== false };
  } catch (error) {
    const fallback =
      (sslMode === "prefer" && /does not support SSL/i.test(String((error as Error).message))) ||
      (sslMode === "allow" && serverRejected(error));
    if (!fallback) return { ok: false, error: classifyConnectError(error, target) };
    const other: ConnectionOptions | false = sslMode === "allow" ? { rejectUnauthorized: false } : false;
    try {
      const client = await tryConnect(resolved.value, config, options, other);
      return { ok: true, client, tls: other !== false };
    } catch (second) {
      return { ok: false, error: classifyConnectError(second, target) };
    }
  }
}
