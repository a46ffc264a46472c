// A tiny source bin for the entrypoint tests: `node dist/test-fixtures/fixture-source.js read …`.
import { defineSource } from "../define.js";
import { runEntrypoint } from "../entrypoint.js";
import { ConnectorError } from "../errors.js";

interface Config {
  count: number;
  chunk: number;
  password?: string;
  chatty?: boolean;
  fail_at?: number;
  hang_after?: number;
}

/** Counts from the state's cursor up to `count`, `chunk` records at a time. */
export const fixtureSource = defineSource<Config>({
  name: "source-fixture",
  version: "0.0.1",
  spec: {
    connectionSpecification: {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      required: ["count"],
      properties: {
        count: { type: "integer", minimum: 0 },
        chunk: { type: "integer", minimum: 1, default: 10 },
        password: { type: "string", airbyte_secret: true },
        chatty: { type: "boolean" },
        fail_at: { type: "integer" },
        hang_after: { type: "integer" },
      },
    },
  },
  checkpointEvery: 20,
  async check({ config }) {
    return config.password === "wrong" ? { ok: false, message: "Authentication failed" } : { ok: true };
  },
  streams: () => [
    {
      name: "numbers",
      jsonSchema: { type: "object", properties: { n: { type: "integer" } } },
      supportedSyncModes: ["full_refresh", "incremental"],
      sourceDefinedCursor: true,
      defaultCursorField: ["n"],
      primaryKey: [["n"]],
      async *read({ config, state, logger, signal }) {
        let n = (state as { cursor?: number } | undefined)?.cursor ?? 0;
        if (config.chatty === true) {
          logger.log("INFO", `starting at ${n}`);
          // A stray console.log must not corrupt stdout.
          console.log("raw console output with password", config.password);
        }
        while (n < config.count) {
          const records = [];
          for (let i = 0; i < config.chunk && n < config.count; i++) records.push({ n: ++n });
          if (config.fail_at !== undefined && n >= config.fail_at) {
            throw new ConnectorError("transient_error", "Upstream went away", `at ${n}`);
          }
          yield { records, state: { cursor: n } };
          if (config.hang_after !== undefined && n >= config.hang_after) {
            process.stderr.write("hanging\n");
            // Like a query that never returns: the pending timer stands for its open socket.
            const socket = setInterval(() => {}, 1000);
            await new Promise((resolve) => signal.addEventListener("abort", resolve));
            clearInterval(socket);
          }
        }
      },
    },
  ],
});

await runEntrypoint(fixtureSource);
