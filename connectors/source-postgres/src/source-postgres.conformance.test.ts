import { describeSourceConformance } from "@weir/cdk/testing";
import { createTestDatabase, probePostgres } from "@weir/postgres-connection/testing";
import { afterAll, describe, it } from "vitest";
import { sourcePostgres } from "./source-postgres.js";

const server = await probePostgres();
if (!server.ok) {
  describe("source-postgres conformance", () => {
    it.skip(`skipped: ${server.reason}`, () => {});
  });
} else {
  const db = await createTestDatabase("srcconf");
  afterAll(() => db.drop());
  await db.query(`
    CREATE TABLE users (id serial PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO users (name) SELECT 'user ' || g FROM generate_series(1, 25) g;
    CREATE TABLE events (kind text, "updatedAt" timestamp);
    INSERT INTO events SELECT 'k' || g, now() - g * interval '1 hour' FROM generate_series(1, 10) g;
    CREATE VIEW recent_users AS SELECT id, name, updated_at FROM users WHERE id % 2 = 0;
  `);
  describeSourceConformance(sourcePostgres, {
    config: { ...db.config, schemas: ["public"], ssl_mode: { mode: "disable" } },
    invalidConfig: { ...db.config, username: "weir_no_such_role" },
  });
}
