type Property = Record<string, unknown>;

const certificate = (title: string, description: string, order: number): Property => ({
  type: "string",
  title,
  description,
  airbyte_secret: true,
  multiline: true,
  order,
});

const verifyingMode = (mode: string, title: string, description: string): Property => ({
  title,
  description,
  required: ["mode", "ca_certificate"],
  properties: {
    mode: { type: "string", const: mode, order: 0 },
    ca_certificate: certificate("CA certificate", "CA certificate (PEM)", 1),
    client_certificate: certificate(
      "Client certificate",
      "Client certificate (PEM); give the client key as well",
      2,
    ),
    client_key: certificate("Client key", "Client key (PEM); give the client certificate as well", 3),
    client_key_password: {
      type: "string",
      title: "Client key password",
      description: "Passphrase of the client key, if it has one.",
      airbyte_secret: true,
      order: 4,
    },
  },
});

const plainMode = (mode: string, description: string): Property => ({
  title: mode,
  description,
  required: ["mode"],
  properties: { mode: { type: "string", const: mode, order: 0 } },
});

/** Airbyte's `ssl_mode` property (source-mysql), plus `disabled`. */
export const sslModeProperty: Property = {
  type: "object",
  title: "SSL modes",
  description:
    "How to use TLS. preferred (the default) uses TLS when the server offers it; required insists on it " +
    "without checking the certificate; verify_ca checks it against the CA; verify_identity also checks the host name.",
  oneOf: [
    plainMode("preferred", "TLS when the server supports it, else a plain connection."),
    plainMode("required", "Always TLS; the certificate and host name are not verified."),
    verifyingMode("verify_ca", "Verify CA", "Always TLS; the certificate must be signed by the CA."),
    verifyingMode(
      "verify_identity",
      "Verify Identity",
      "Always TLS; the certificate must be signed by the CA and name the host.",
    ),
    plainMode("disabled", "Never TLS."),
  ],
};

/** Airbyte's `tunnel_method` property; only NO_TUNNEL is supported, the others are refused with a config error. */
export const tunnelMethodProperty: Property = {
  type: "object",
  title: "SSH Tunnel Method",
  description:
    "Only No Tunnel is supported: open the tunnel yourself (ssh -L) and point host and port at it.",
  oneOf: [
    {
      title: "No Tunnel",
      required: ["tunnel_method"],
      properties: {
        tunnel_method: {
          description: "No ssh tunnel needed to connect to database",
          type: "string",
          const: "NO_TUNNEL",
          order: 0,
        },
      },
    },
  ],
};

/**
 * The connection properties of Airbyte's MySQL connectors, with their `order` and `group`:
 * host, port, database, username, password, jdbc_url_params, ssl, ssl_mode, tunnel_method.
 * Example: `properties: { ...mysqlConnectionProperties(), replication_method: … }`
 */
export function mysqlConnectionProperties(): Record<string, Property> {
  return {
    host: {
      title: "Host",
      description: "The host name of the database.",
      type: "string",
      order: 0,
      group: "db",
    },
    port: {
      title: "Port",
      description: "The port to connect to.",
      type: "integer",
      minimum: 0,
      maximum: 65536,
      default: 3306,
      examples: ["3306"],
      order: 1,
      group: "db",
    },
    database: {
      title: "Database",
      description: "The database name.",
      type: "string",
      order: 2,
      group: "db",
    },
    username: {
      title: "Username",
      description: "The username which is used to access the database.",
      type: "string",
      order: 3,
      group: "auth",
    },
    password: {
      title: "Password",
      description: "The password associated with the username.",
      type: "string",
      airbyte_secret: true,
      always_show: true,
      order: 4,
      group: "auth",
    },
    jdbc_url_params: {
      title: "JDBC URL Parameters (Advanced)",
      description:
        "Additional properties formatted as 'key=value' pairs separated by '&', as in Airbyte's JDBC URL. " +
        "connectTimeout, sslMode, useSSL and requireSSL are used; the others are ignored with a warning.",
      type: "string",
      order: 5,
      group: "advanced",
    },
    ssl: {
      title: "SSL Connection",
      description:
        "Encrypt data using SSL. Airbyte's older switch: false turns TLS off unless ssl_mode is set.",
      type: "boolean",
      default: true,
      order: 6,
      group: "security",
    },
    ssl_mode: { ...sslModeProperty, order: 7, group: "security" },
    tunnel_method: { ...tunnelMethodProperty, order: 9, group: "security" },
  };
}

/** The groups the connection properties are in, for the spec's `groups`. */
export const MYSQL_SPEC_GROUPS = [
  { id: "db" },
  { id: "auth" },
  { id: "security", title: "Security" },
  { id: "advanced", title: "Advanced" },
] as const;
