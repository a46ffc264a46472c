/** What Weir takes from Airbyte's `jdbc_url_params` (Connector/J URL properties). */
export interface JdbcUrlSettings {
  /** `connectTimeout` in ms. */
  readonly connectTimeoutMs: number | undefined;
  /** From `sslMode`, or `useSSL=false` (disabled) / `requireSSL=true` (required). */
  readonly sslMode: string | undefined;
  /** Keys understood but without effect here, or not understood at all: for a warning. */
  readonly ignored: readonly string[];
}

export type JdbcParse = { ok: true; value: JdbcUrlSettings } | { ok: false; message: string };

// Connector/J properties whose behaviour Weir has anyway (UTF-8, UTC sessions, zero dates as
// null, streamed results): accepted silently, because Airbyte users often set them.
const BUILT_IN = new Set([
  "characterencoding",
  "useunicode",
  "servertimezone",
  "connectiontimezone",
  "zerodatetimebehavior",
  "usecursorfetch",
  "defaultfetchsize",
  "allowpublickeyretrieval",
  "tinyint1isbit",
  "enabledtlsprotocols",
  "sockettimeout",
  "netTimeoutForStreamingResults".toLowerCase(),
]);

const SSL_MODES = new Set(["disabled", "preferred", "required", "verify_ca", "verify_identity"]);

/**
 * Parses `key1=value1&key2=value2` (a leading `?` is allowed; values may be URL-encoded).
 * Example: `parseJdbcUrlParams("connectTimeout=5000&useSSL=false")` gives
 * `{ ok: true, value: { connectTimeoutMs: 5000, sslMode: "disabled", ignored: [] } }`.
 */
export function parseJdbcUrlParams(text: string | undefined): JdbcParse {
  let connectTimeoutMs: number | undefined;
  let sslMode: string | undefined;
  const ignored: string[] = [];
  const trimmed = (text ?? "").trim().replace(/^\?/, "");
  if (trimmed === "") return { ok: true, value: { connectTimeoutMs, sslMode, ignored } };
  for (const pair of trimmed.split("&")) {
    if (pair === "") continue;
    const at = pair.indexOf("=");
    if (at <= 0) {
      return { ok: false, message: `jdbc_url_params: "${pair}" is not a key=value pair` };
    }
    const key = pair.slice(0, at).trim();
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return { ok: false, message: `jdbc_url_params: the value of ${key} is not valid URL encoding` };
    }
    const lower = key.toLowerCase();
    if (lower === "connecttimeout") {
      const ms = Number(value);
      if (!Number.isInteger(ms) || ms < 0) {
        return { ok: false, message: `jdbc_url_params: connectTimeout must be milliseconds, got "${value}"` };
      }
      connectTimeoutMs = ms;
    } else if (lower === "sslmode") {
      const mode = value.toLowerCase();
      if (!SSL_MODES.has(mode)) {
        return {
          ok: false,
          message: `jdbc_url_params: sslMode must be one of ${[...SSL_MODES].join(", ").toUpperCase()}, got "${value}"`,
        };
      }
      sslMode = mode;
    } else if (lower === "usessl") {
      if (value.toLowerCase() === "false") sslMode ??= "disabled";
    } else if (lower === "requiressl") {
      if (value.toLowerCase() === "true") sslMode ??= "required";
    } else if (!BUILT_IN.has(lower)) {
      ignored.push(key);
    }
  }
  return { ok: true, value: { connectTimeoutMs, sslMode, ignored } };
}
