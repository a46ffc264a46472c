export {
  createTestDatabase,
  DEFAULT_TEST_MYSQL_URL,
  probeTestServer,
  type TestDatabase,
  type TestServer,
  testServerFromEnv,
  uniqueDatabaseName,
} from "./test-database.js";
