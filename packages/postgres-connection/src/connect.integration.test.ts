import { describe, expect, it } from "vitest";
import { connectPostgres, resolveConnection } from "./connect.js";
import { probePostgres, TEST_POSTGRES_URL } from "./testing/test-database.js";

const server = await probePostgres();
const url = new URL(TEST_POSTGRES_URL);
const base = {
  host: url.hostname,
  port: Number(url.port || 5432),
  database: url.pathname.slice(1) || "postgres",
  username: decodeURIComponent(url.username || "postgres"),
  ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
};
const options = { applicationName: "weir-test", settings: { TimeZone: "UTC" } };

async function failure(config: Parameters<typeof connectPostgres>[0]) {
  const result = await connectPostgres(config, options);
  if (result.ok) {
    await result.client.end();
    throw new Error("expected the connection to fail");
  }
  return result.error;
}

describe("resolveConnection", () => {
  it("reads jdbc_url_params and defaults ssl_mode to prefer", () => {
    const resolved = resolveConnection({
      ...base,
      jdbc_url_params: "connectTimeout=3&ApplicationName=x&foo=1",
    });
    expect(resolved.ok && resolved.value).toMatchObject({
      sslMode: "prefer",
      applicationName: "x",
      ignoredParams: ["foo"],
      target: { connectTimeoutSeconds: 3 },
    });
  });

  it("refuses SSH tunnels, unknown ssl modes and verify modes without a CA", () => {
    const tunnel = resolveConnection({ ...base, tunnel_method: { tunnel_method: "SSH_KEY_AUTH" } });
    expect(!tunnel.ok && tunnel.error.message).toMatch(/SSH tunnels are not supported/);
    const verify = resolveConnection({ ...base, ssl_mode: { mode: "verify-full" } });
    expect(!verify.ok && verify.error.message).toMatch(/ssl_mode.ca_certificate: required/);
    const legacy = resolveConnection({ ...base, ssl: true });
    expect(legacy.ok && legacy.value.sslMode).toBe("require");
  });
});

describe.skipIf(!server.ok)("connectPostgres against the local server", () => {
  it("connects with the session settings it was given", async () => {
    const result = await connectPostgres({ ...base, ssl_mode: { mode: "disable" } }, options);
    if (!result.ok) throw result.error;
    const rows = await result.client.query("SHOW TimeZone");
    expect(rows.rows[0]).toEqual({ TimeZone: "UTC" });
    await result.client.end();
  });

  it("prefer falls back to a plain connection when the server has no TLS", async () => {
    const ssl = await connectPostgres(base, options);
    if (!ssl.ok) throw ssl.error;
    const on = await ssl.client.query("SHOW ssl");
    expect(ssl.tls).toBe(on.rows[0]?.ssl === "on");
    await ssl.client.end();
  });

  it("an unknown user is a config error", async () => {
    const error = await failure({ ...base, username: "weir_no_such_role" });
    expect(error.failureType).toBe("config_error");
    expect(error.message).toMatch(/weir_no_such_role/);
  });

  it("a missing database is a config error naming it", async () => {
    const error = await failure({ ...base, database: "weir_no_such_database" });
    expect(error.failureType).toBe("config_error");
    expect(error.message).toMatch(/Database "weir_no_such_database" does not exist/);
  });

  it("a closed port and an unknown host are config errors", async () => {
    const refused = await failure({ ...base, port: 1 });
    expect(refused.failureType).toBe("config_error");
    expect(refused.message).toMatch(/connection refused/);
    const unknown = await failure({ ...base, host: "weir-no-such-host.invalid" });
    expect(unknown.failureType).toBe("config_error");
    expect(unknown.message).toMatch(/not found|Cannot reach|Cannot connect/);
  });

  it("a host that does not answer as Postgres is a config error naming it", async () => {
    // Not routable: depending on the network the SYN goes nowhere (the connect timeout decides),
    // is refused, or a proxy answers and hangs up.
    for (const mode of ["disable", "prefer"] as const) {
      const error = await failure({
        ...base,
        host: "10.255.255.1",
        jdbc_url_params: "connectTimeout=1",
        ssl_mode: { mode },
      });
      expect(error.failureType).toBe("config_error");
      expect(error.message).toMatch(/10\.255\.255\.1:5432/);
    }
  });

  it("require against a server without TLS is a config error", async (ctx) => {
    const plain = await connectPostgres({ ...base, ssl_mode: { mode: "disable" } }, options);
    if (!plain.ok) throw plain.error;
    const on = (await plain.client.query("SHOW ssl")).rows[0]?.ssl === "on";
    await plain.client.end();
    if (on) ctx.skip("the test server has TLS on");
    const error = await failure({ ...base, ssl_mode: { mode: "require" } });
    expect(error.failureType).toBe("config_error");
    expect(error.message).toMatch(/does not support TLS/);
  });
});
