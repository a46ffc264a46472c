export { createApiToken, hasApiTokens, verifyApiToken } from "./api-tokens.js";
export { keepMaskedSecrets, maskConfig, mergeConfig, openConfig, sealConfig } from "./config-secrets.js";
export { type CatalogOutcome, connectionCatalog } from "./connection-catalog.js";
export {
  type ActorKind,
  builtinSpec,
  type ConnectorDefinition,
  connectorDefinitions,
  connectorHandle,
  definitionOfReference,
  findDefinition,
} from "./connector-definitions.js";
export {
  type CancelOutcome,
  cancelJob,
  claimNextJob,
  type EnqueueOutcome,
  enqueueSync,
  type JobRow,
} from "./job-queue.js";
export { PGliteDialect } from "./pglite-dialect.js";
export { openStore, type PlatformStore, type StoreOptions } from "./platform-store.js";
export { createSecretBox, loadSecretKey, type SecretBox } from "./secret-box.js";
export { migrateStore } from "./store-migrations.js";
export type {
  ConnectorReference,
  JobStatus,
  StoredSchedule,
  StoredStream,
  StoredStreamStats,
  StoreTables,
} from "./store-tables.js";
export { CONNECTION_SYNC_MODES, type ConnectionSyncMode, protocolSyncModes } from "./sync-modes.js";
export { type RetryPolicy, type SyncWorker, type SyncWorkerOptions, startSyncWorker } from "./sync-worker.js";
