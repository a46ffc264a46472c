/** Airbyte's `ssl_mode` object: `{ "mode": "verify-full", "ca_certificate": "-----BEGIN…" }`. */
export interface SslModeConfig {
  readonly mode: "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
  readonly ca_certificate?: string;
  readonly client_certificate?: string;
  readonly client_key?: string;
  readonly client_key_password?: string;
}

/** The connection fields Airbyte's Postgres source and destination share. */
export interface PostgresConnectionConfig {
  readonly host: string;
  readonly port?: number;
  readonly database: string;
  readonly username: string;
  readonly password?: string;
  readonly jdbc_url_params?: string;
  readonly ssl_mode?: SslModeConfig;
  /** destination-postgres's older switch: `true` means `ssl_mode` require when no mode is given. */
  readonly ssl?: boolean;
  /** Airbyte's SSH tunnel block; only `NO_TUNNEL` is supported. */
  readonly tunnel_method?: { readonly tunnel_method?: string };
}

const simpleMode = (mode: string, description: string) => ({
  title: mode,
  description,
  additionalProperties: true,
  required: ["mode"],
  properties: { mode: { type: "string", const: mode, order: 0 } },
});

const certificateMode = (mode: string, description: string) => ({
  title: mode,
  description,
  additionalProperties: true,
  required: ["mode", "ca_certificate"],
  properties: {
    mode: { type: "string", const: mode, order: 0 },
    ca_certificate: {
      type: "string",
      title: "CA Certificate",
      description: "CA certificate (PEM)",
      airbyte_secret: true,
      multiline: true,
      order: 1,
    },
    client_certificate: {
      type: "string",
      title: "Client Certificate",
      description: "Client certificate (PEM), for servers that require one",
      airbyte_secret: true,
      multiline: true,
      order: 2,
    },
    client_key: {
      type: "string",
      title: "Client Key",
      description: "Client key (PEM)",
      airbyte_secret: true,
      multiline: true,
      order: 3,
    },
    client_key_password: {
      type: "string",
      title: "Client Key Password",
      description: "Password of the client key, if it is encrypted",
      airbyte_secret: true,
      order: 4,
    },
  },
});

/**
 * The `ssl_mode` property as Airbyte's Postgres connectors declare it (libpq's six modes).
 * Example: `properties: { ssl_mode: sslModeProperty(8) }`.
 */
export function sslModeProperty(order: number): Record<string, unknown> {
  return {
    title: "SSL Modes",
    description:
      "SSL connection modes, as libpq's sslmode. Without it: prefer (TLS when the server offers it).",
    type: "object",
    order,
    group: "security",
    oneOf: [
      simpleMode("disable", "Disables encryption of communication between Weir and the database."),
      simpleMode("allow", "Enables encryption only when required by the database."),
      simpleMode(
        "prefer",
        "Allows an unencrypted connection only if the database does not support encryption.",
      ),
      simpleMode(
        "require",
        "Always require encryption. If the database does not support encryption, the connection fails.",
      ),
      certificateMode(
        "verify-ca",
        "Always require encryption and verify that the database's certificate is signed by the CA.",
      ),
      certificateMode(
        "verify-full",
        "Always require encryption, verify the certificate and that it names the host connected to.",
      ),
    ],
  };
}

/** The `jdbc_url_params` property: Airbyte configs carry it, and a few keys are honoured. */
export function jdbcUrlParamsProperty(order: number): Record<string, unknown> {
  return {
    title: "JDBC URL Parameters (Advanced)",
    description:
      "Extra connection properties as 'key=value' pairs separated by '&'. Honoured: connectTimeout " +
      "(seconds), ApplicationName, options, sslmode; others are ignored with a warning.",
    type: "string",
    order,
    group: "advanced",
    pattern_descriptor: "key1=value1&key2=value2",
  };
}
