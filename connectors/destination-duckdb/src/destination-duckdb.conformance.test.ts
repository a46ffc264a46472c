import { describeDestinationConformance } from "@weir/cdk/testing";
import { afterAll } from "vitest";
import { destinationDuckdb } from "./destination-duckdb.js";
import { DuckdbTestSession } from "./duckdb-test-session.js";

const sessions: DuckdbTestSession[] = [];
afterAll(() => {
  for (const session of sessions) session.remove();
});

describeDestinationConformance(destinationDuckdb, {
  config: () => {
    const session = new DuckdbTestSession();
    sessions.push(session);
    return session.config;
  },
  invalidConfig: { destination_path: "md:my_motherduck_db" },
  readBack: async (config, stream) => {
    const session = sessions.find((s) => s.config === config) as DuckdbTestSession;
    return session.query(`SELECT id::INTEGER AS id, name FROM "${stream}"`);
  },
});
