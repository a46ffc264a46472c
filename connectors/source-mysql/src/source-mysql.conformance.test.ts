import { describeSourceConformance } from "@weir/cdk/testing";
import { createTestDatabase, probeTestServer } from "@weir/mysql-connection/testing";
import { afterAll, describe } from "vitest";
import { sourceMysql } from "./source-mysql.js";

const server = await probeTestServer();
const db = server.ok ? await createTestDatabase("src_conf") : undefined;
afterAll(() => db?.drop());
if (db !== undefined) {
  await db.sql(
    "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50), balance DECIMAL(12,2), updated_at DATETIME(3))",
  );
  await db.sql(
    "INSERT INTO users VALUES (1, 'Ada', 10.50, '2024-01-01 00:00:00'), (2, 'Bo', NULL, '2024-01-02 00:00:00'), (3, '', -1, NULL)",
  );
  await db.sql(
    "CREATE TABLE `Order Lines` (order_id INT, line INT, sku VARCHAR(10), PRIMARY KEY (order_id, line))",
  );
  await db.sql("INSERT INTO `Order Lines` VALUES (1, 1, 'a'), (1, 2, 'b'), (2, 1, 'c')");
}

describe.skipIf(db === undefined)(
  server.ok ? "source-mysql conformance" : `source-mysql conformance (skipped: ${server.reason})`,
  () => {
    describeSourceConformance(sourceMysql, {
      config: db?.config ?? {},
      invalidConfig: { ...(db?.config ?? {}), password: "certainly-wrong", username: "weir_nobody" },
    });
  },
);
