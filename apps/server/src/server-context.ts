import type { SecretBox, StoreTables, SyncWorker } from "@weir/platform";
import type { Kysely } from "kysely";

/** What the API's handlers work with. */
export interface ServerContext {
  readonly db: Kysely<StoreTables>;
  readonly box: SecretBox;
  /** The in-process worker, if this server runs one: triggers wake it, cancels reach it at once. */
  readonly worker?: SyncWorker | undefined;
}
