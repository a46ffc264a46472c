import { type DestinationConnector, defineDestination } from "@weir/cdk";
import { checkMysql } from "./check.js";
import { type DestinationMysqlConfig, destinationMysqlSpec } from "./destination-spec.js";
import { DEFAULT_WRITER_TUNING, type MysqlWriterTuning, openMysqlWriter } from "./mysql-writer.js";

/**
 * Builds the destination with its writer settings; `destinationMysql` uses the defaults.
 * Example: `createDestinationMysql({ batchBytes: 1024, format: "insert" })` for a test of the INSERT path.
 */
export function createDestinationMysql(
  tuning: MysqlWriterTuning = DEFAULT_WRITER_TUNING,
): DestinationConnector<DestinationMysqlConfig> {
  return defineDestination<DestinationMysqlConfig>({
    name: "destination-mysql",
    version: "0.1.0",
    spec: destinationMysqlSpec,
    check: checkMysql,
    open: (ctx) => openMysqlWriter(ctx, tuning),
  });
}

/**
 * Writes streams into typed tables of a MySQL or MariaDB database (append, overwrite swapped in
 * atomically, append_dedup). Example: `await runEntrypoint(destinationMysql)`.
 */
export const destinationMysql = createDestinationMysql();
