import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startWeirServer } from "./weir-server.js";

const USAGE = `Usage: weir server [--port 8000] [--host 127.0.0.1] [--data-dir DIR] [--database URL]

Runs the REST API and a sync worker in one process. The store is embedded (PGlite) under the
data dir (default: $WEIR_DATA_DIR or ~/.weir/server), or a Postgres database with --database
(or WEIR_DATABASE_URL).`;

/**
 * `weir server …`: parses the arguments, starts the server, stops it on SIGINT/SIGTERM.
 * Example: `await runServerCommand(["--port", "8080"])`.
 */
export async function runServerCommand(args: readonly string[]): Promise<number> {
  let values: { port?: string; host?: string; "data-dir"?: string; database?: string; help?: boolean };
  try {
    values = parseArgs({
      args: [...args],
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        database: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? 8000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port: must be a port number, got ${values.port}\n`);
    return 2;
  }
  const dataDir = path.resolve(
    values["data-dir"] ?? process.env.WEIR_DATA_DIR ?? path.join(os.homedir(), ".weir", "server"),
  );
  const server = await startWeirServer({
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    dataDir,
    databaseUrl: values.database ?? process.env.WEIR_DATABASE_URL,
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  process.stdout.write("weir server: stopping (running syncs are cancelled, committed state is kept)\n");
  await server.close();
  return 0;
}
