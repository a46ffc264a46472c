export {
  createTestDatabase,
  probePostgres,
  TEST_POSTGRES_URL,
  type TestDatabase,
} from "./test-database.js";
