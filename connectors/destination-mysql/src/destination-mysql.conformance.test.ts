import { describeDestinationConformance } from "@weir/cdk/testing";
import { createTestDatabase, probeTestServer, type TestDatabase } from "@weir/mysql-connection/testing";
import { afterAll, describe } from "vitest";
import { destinationMysql } from "./destination-mysql.js";

const server = await probeTestServer();
// The suite asks for a fresh config synchronously; databases are made up front.
const pool: TestDatabase[] = [];
if (server.ok) for (let i = 0; i < 5; i++) pool.push(await createTestDatabase(`dst_conf${i}`));
const handedOut: TestDatabase[] = [];
afterAll(async () => {
  for (const db of pool) await db.drop();
});

describe.skipIf(!server.ok)(
  server.ok ? "destination-mysql conformance" : `destination-mysql conformance (skipped: ${server.reason})`,
  () => {
    describeDestinationConformance(destinationMysql, {
      config: () => {
        const db = pool[handedOut.length];
        if (db === undefined)
          throw new Error("the conformance suite asked for more databases than were made");
        handedOut.push(db);
        return db.config;
      },
      invalidConfig: { host: "127.0.0.1", port: 1, database: "nowhere", username: "root" },
      readBack: async (config, stream) => {
        const db = handedOut.find((d) => d.config === config) as TestDatabase;
        return db.sql(`SELECT CAST(id AS SIGNED) AS id, name FROM \`${stream}\``);
      },
    });
  },
);
