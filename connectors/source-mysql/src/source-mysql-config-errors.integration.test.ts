import { runInProcess } from "@weir/cdk/testing";
import { probeTestServer } from "@weir/mysql-connection/testing";
import { describe, expect, it } from "vitest";
import { sourceMysql } from "./source-mysql.js";

const server = await probeTestServer();
const base = server.ok ? { ...server.server, database: "mysql", ssl_mode: { mode: "disabled" } } : {};
const catalog = {
  streams: [
    {
      stream: {
        name: "user",
        namespace: "mysql",
        json_schema: {},
        supported_sync_modes: ["full_refresh" as const],
      },
      sync_mode: "full_refresh" as const,
      destination_sync_mode: "append" as const,
    },
  ],
};

describe.skipIf(!server.ok)(
  server.ok ? "source-mysql config errors" : `source-mysql config errors (skipped: ${server.reason})`,
  () => {
    it.each([
      ["wrong credentials", { username: "weir_nobody", password: "not-the-password" }, /refused the login/],
      [
        "an unreachable host",
        { host: "127.0.0.1", port: 1 },
        /cannot reach a MySQL server at 127\.0\.0\.1:1/,
      ],
      ["an unknown database", { database: "weir_missing_db" }, /database "weir_missing_db" does not exist/],
      ["CDC", { replication_method: { method: "CDC" } }, /CDC \(binary log\) is not supported yet/],
    ])("%s: check FAILED with a clear message; read a config_error TRACE", async (_, change, pattern) => {
      const config = { ...base, ...change };
      const check = await runInProcess(sourceMysql, { command: "check", config });
      expect(check.connectionStatus).toMatchObject({
        status: "FAILED",
        message: expect.stringMatching(pattern),
      });
      expect(check.connectionStatus?.message).not.toContain("not-the-password");
      const read = await runInProcess(sourceMysql, { command: "read", config, catalog });
      expect(read.records).toEqual([]);
      expect(read.errors).toHaveLength(1);
      expect(read.errors[0]).toMatchObject({
        failure_type: "config_error",
        message: expect.stringMatching(pattern),
      });
    });
  },
);
