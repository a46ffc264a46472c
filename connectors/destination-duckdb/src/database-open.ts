import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { DuckDBInstance } from "@duckdb/node-api";
import { type ConnectorError, configError, systemError, transientError } from "@weir/cdk";

/** An open database file and the one connection the destination uses. */
export interface OpenDatabase {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  /** Disconnects and closes the file (releasing its lock). */
  close(): void;
}

/**
 * Opens (creating it and its directory if needed) a DuckDB file for writing, with the session in
 * UTC so timestamps without an offset read as UTC. `close` releases this user's reference; the
 * file closes when the last user in the process lets go. Example: `await openDatabase("/tmp/x.duckdb")`.
 */
export async function openDatabase(
  path: string,
): Promise<{ ok: true; db: OpenDatabase } | { ok: false; error: ConnectorError }> {
  if (path !== ":memory:") {
    const directory = dirname(path);
    try {
      await mkdir(directory, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      const why = MKDIR_PROBLEMS[code] ?? code;
      return {
        ok: false,
        error: configError(
          `Cannot create the directory ${directory} for destination_path (${why}); choose a writable location`,
          String(error),
        ),
      };
    }
  }
  let instance: DuckDBInstance;
  try {
    // One instance per file in this process: a second open of the same file (a test, or the
    // CLI reading results) shares it, where a separate instance would corrupt the file.
    instance = await DuckDBInstance.fromCache(path);
  } catch (error) {
    return { ok: false, error: classifyOpenError(path, error) };
  }
  try {
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const close = (): void => {
      connection.closeSync();
      instance.closeSync();
    };
    return { ok: true, db: { instance, connection, close } };
  } catch (error) {
    instance.closeSync();
    return { ok: false, error: systemError(`Cannot prepare the DuckDB file ${path}`, String(error)) };
  }
}

const MKDIR_PROBLEMS: Readonly<Record<string, string>> = {
  EEXIST: "a file is in the way",
  ENOTDIR: "a file is in the way",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
};

function classifyOpenError(path: string, error: unknown): ConnectorError {
  const text = error instanceof Error ? error.message : String(error);
  if (/could not set lock|conflicting lock/i.test(text)) {
    const pid = /PID (\d+)/.exec(text)?.[1];
    const holder = pid === undefined ? "another process" : `another process (PID ${pid})`;
    return transientError(
      `The DuckDB file ${path} is locked by ${holder}; close the program holding it (a DuckDB shell, notebook or another sync) and retry`,
      text,
    );
  }
  if (/not a valid DuckDB database|unable to open database|serialization|version/i.test(text)) {
    return configError(`${path} is not a DuckDB database file this version can open`, text);
  }
  if (/permission denied|read-only|EACCES|EROFS/i.test(text)) {
    return configError(`Cannot write the DuckDB file ${path}: permission denied`, text);
  }
  return systemError(`Cannot open the DuckDB file ${path}`, text);
}
