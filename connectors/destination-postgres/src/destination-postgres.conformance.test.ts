import { describeDestinationConformance } from "@weir/cdk/testing";
import { createTestDatabase, probePostgres } from "@weir/postgres-connection/testing";
import { afterAll, describe, it } from "vitest";
import { destinationPostgres } from "./destination-postgres.js";

const server = await probePostgres();
if (!server.ok) {
  describe("destination-postgres conformance", () => {
    it.skip(`skipped: ${server.reason}`, () => {});
  });
} else {
  const db = await createTestDatabase("dstconf");
  afterAll(() => db.drop());
  let schemas = 0;
  describeDestinationConformance(destinationPostgres, {
    // A fresh schema per test keeps the tests apart in one database.
    config: () => ({ ...db.config, schema: `conformance_${++schemas}`, ssl_mode: { mode: "disable" } }),
    invalidConfig: { ...db.config, schema: "public", username: "weir_no_such_role" },
    readBack: async (config, stream) => {
      const schema = (config as { schema: string }).schema;
      return db.query(`SELECT id::int AS id, name FROM "${schema}"."${stream}"`);
    },
  });
}
