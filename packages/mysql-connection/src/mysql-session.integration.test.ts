import { describe, expect, it } from "vitest";
import { resolveConnectSettings } from "./connection-config.js";
import { openMysqlSession } from "./mysql-session.js";
import { probeTestServer } from "./testing/test-database.js";

const server = await probeTestServer();

async function open(config: object) {
  if (!server.ok) throw new Error("no server");
  const settings = resolveConnectSettings({ ...server.server, database: "mysql", ...config });
  if (!settings.ok) throw new Error(settings.message);
  return openMysqlSession(settings.value, { role: "source" });
}

describe.skipIf(!server.ok)(
  server.ok ? "openMysqlSession" : `openMysqlSession (skipped: ${server.reason})`,
  () => {
    it("sets Weir's session: UTC, its own sql_mode, utf8mb4", async () => {
      const opened = await open({});
      if (!opened.ok) throw opened.error;
      const [row] = await opened.session.query<Record<string, string>>(
        "SELECT @@session.time_zone AS tz, @@session.sql_mode AS mode, @@character_set_connection AS cs",
      );
      expect(row).toEqual({ tz: "+00:00", mode: "NO_ENGINE_SUBSTITUTION", cs: "utf8mb4" });
      await opened.session.close();
    });

    it("wrong credentials are a config error that names the login, never the password", async () => {
      const opened = await open({ username: "weir_nobody", password: "hunter2-secret" });
      expect(opened.ok).toBe(false);
      if (opened.ok) return;
      expect(opened.error.failureType).toBe("config_error");
      expect(opened.error.message).toMatch(/refused the login; check username and password/);
      expect(opened.error.message).not.toContain("hunter2-secret");
    });

    it("an unreachable host and an unknown database are config errors", async () => {
      const refused = await open({ host: "127.0.0.1", port: 1 });
      expect(refused.ok ? undefined : refused.error).toMatchObject({
        failureType: "config_error",
        message: expect.stringMatching(/cannot reach a MySQL server at 127\.0\.0\.1:1 \(ECONNREFUSED\)/),
      });
      const unknown = await open({ database: "weir_no_such_database" });
      expect(unknown.ok ? undefined : unknown.error).toMatchObject({
        failureType: "config_error",
        message: expect.stringMatching(/database "weir_no_such_database" does not exist/),
      });
    });

    it("TLS: preferred falls back to plain on a server without TLS; required fails with a config error", async () => {
      const [variable] = await (async () => {
        const opened = await open({ ssl_mode: { mode: "disabled" } });
        if (!opened.ok) throw opened.error;
        const rows = await opened.session.query<{ v: string }>("SELECT @@have_ssl AS v");
        await opened.session.close();
        return rows;
      })();
      const preferred = await open({ ssl_mode: { mode: "preferred" } });
      if (!preferred.ok) throw preferred.error;
      expect(preferred.session.tls).toBe(variable?.v === "YES");
      await preferred.session.close();
      if (variable?.v === "YES") return; // a server with TLS cannot show the refusal
      const required = await open({ ssl_mode: { mode: "required" } });
      expect(required.ok ? undefined : required.error).toMatchObject({
        failureType: "config_error",
        message: expect.stringMatching(/the server does not offer TLS/),
      });
    });
  },
);
