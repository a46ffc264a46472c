import type { Command } from "commander";

interface ServerOptions {
  readonly port?: string;
  readonly host?: string;
  readonly dataDir?: string;
  readonly database?: string;
}

/**
 * `weir server`: hands over to @weir/server, loaded only when the command runs so that the
 * other commands do not pay for the HTTP stack and the embedded database.
 * Example: `registerServerCommand(program, run)`.
 */
export function registerServerCommand(program: Command, run: (work: () => Promise<number>) => void): void {
  program
    .command("server")
    .description("run the REST API (Airbyte's public API v1) and a sync worker in one process")
    .option("--port <port>", "port to listen on (default: 8000)")
    .option("--host <host>", "address to listen on (default: 127.0.0.1)")
    .option(
      "--data-dir <dir>",
      "where the embedded store, secret key and initial token live (default: ~/.weir/server)",
    )
    .option("--database <url>", "a Postgres URL to use instead of the embedded store (or WEIR_DATABASE_URL)")
    .action((options: ServerOptions) =>
      run(async () => {
        const args: string[] = [];
        if (options.port !== undefined) args.push("--port", options.port);
        if (options.host !== undefined) args.push("--host", options.host);
        if (options.dataDir !== undefined) args.push("--data-dir", options.dataDir);
        if (options.database !== undefined) args.push("--database", options.database);
        const { runServerCommand } = await import("@weir/server");
        return runServerCommand(args);
      }),
    );
}
