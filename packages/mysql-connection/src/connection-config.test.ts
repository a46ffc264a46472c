import { describe, expect, it } from "vitest";
import { resolveConnectSettings } from "./connection-config.js";
import { parseJdbcUrlParams } from "./jdbc-url-params.js";

const base = { host: "db.example", database: "shop", username: "weir" };

describe("resolveConnectSettings", () => {
  it("applies defaults: port 3306, TLS preferred, 10 s connect timeout", () => {
    const resolved = resolveConnectSettings(base);
    expect(resolved).toMatchObject({
      ok: true,
      value: { host: "db.example", port: 3306, tls: "preferred", connectTimeoutMs: 10_000 },
    });
  });

  it("takes the TLS mode from ssl_mode, then jdbc_url_params, then the old ssl switch", () => {
    const mode = (config: object) => {
      const resolved = resolveConnectSettings({ ...base, ...config });
      return resolved.ok ? resolved.value.tls : resolved.message;
    };
    expect(mode({ ssl_mode: { mode: "required" }, jdbc_url_params: "useSSL=false" })).toBe("required");
    expect(mode({ jdbc_url_params: "sslMode=VERIFY_IDENTITY", ssl: false })).toMatch(
      /ca_certificate: required/,
    );
    expect(mode({ jdbc_url_params: "useSSL=false" })).toBe("disabled");
    expect(mode({ ssl: false })).toBe("disabled");
    expect(mode({ ssl: true })).toBe("preferred");
    expect(mode({ ssl_mode: { mode: "verify_ca", ca_certificate: "-----BEGIN CERTIFICATE-----" } })).toBe(
      "verify_ca",
    );
  });

  it("names the field of every problem", () => {
    const message = (config: object) => {
      const resolved = resolveConnectSettings({ ...base, ...config });
      return resolved.ok ? "ok" : resolved.message;
    };
    expect(message({ host: " " })).toMatch(/^config\.host:/);
    expect(message({ port: 70000 })).toMatch(/^config\.port:/);
    expect(message({ ssl_mode: { mode: "sometimes" } })).toMatch(/^config\.ssl_mode\.mode: must be one of/);
    expect(message({ ssl_mode: { mode: "verify_ca" } })).toMatch(/^config\.ssl_mode\.ca_certificate/);
    expect(message({ ssl_mode: { mode: "required", client_key: "k" } })).toMatch(
      /client_certificate and client_key/,
    );
    expect(message({ tunnel_method: { tunnel_method: "SSH_KEY_AUTH" } })).toMatch(
      /^config\.tunnel_method: SSH_KEY_AUTH is not supported/,
    );
    expect(message({ tunnel_method: { tunnel_method: "NO_TUNNEL" } })).toBe("ok");
    expect(message({ jdbc_url_params: "connectTimeout=soon" })).toMatch(
      /^config\.jdbc_url_params: connectTimeout/,
    );
  });
});

describe("parseJdbcUrlParams", () => {
  it("reads the parameters that matter and lists the ignored ones", () => {
    expect(
      parseJdbcUrlParams(
        "?connectTimeout=5000&zeroDateTimeBehavior=convertToNull&rewriteBatchedStatements=true",
      ),
    ).toEqual({
      ok: true,
      value: { connectTimeoutMs: 5000, sslMode: undefined, ignored: ["rewriteBatchedStatements"] },
    });
    expect(parseJdbcUrlParams("requireSSL=true")).toMatchObject({ ok: true, value: { sslMode: "required" } });
    expect(parseJdbcUrlParams("")).toMatchObject({ ok: true, value: { ignored: [] } });
    expect(parseJdbcUrlParams("justakey")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/key=value/),
    });
  });
});
