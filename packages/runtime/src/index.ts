export {
  type CommandOutcome,
  type ConnectionCheck,
  type ConnectorCommandOptions,
  checkConnection,
  discoverCatalog,
  fetchSpec,
} from "./connector-commands.js";
export type { ConnectorHandle, ConnectorRun, RunExit, RunFailure } from "./connector-handle.js";
export {
  CONTAINER_FILES_DIR,
  type ContainerCommand,
  type ContainerHandleOptions,
  type ContainerVolume,
  createContainerHandle,
  prepareContainerCommand,
} from "./container-handle.js";
export {
  CONTAINER_RUNTIME_ENV,
  type ContainerRuntime,
  findContainerRuntime,
  type PullPolicy,
  type RuntimeOutcome,
} from "./container-runtime.js";
export { exitFailure, traceFailure } from "./failure.js";
export { createInProcessHandle } from "./in-process-handle.js";
export { MessageQueue, type MessageQueueOptions } from "./message-queue.js";
export { createProcessHandle, type ProcessHandleOptions } from "./process-handle.js";
export {
  type MappedOutcome,
  type MappedRecords,
  mappedCatalog,
  type StreamRecordMapper,
} from "./record-mapping.js";
export { mergeCommittedState, sourceStateInput, stateMessagesOf, statesEqual } from "./state-ledger.js";
export { runSync } from "./sync-driver.js";
export type {
  StreamStats,
  SyncFailure,
  SyncLogEntry,
  SyncOptions,
  SyncOrigin,
  SyncProgress,
  SyncResult,
} from "./sync-types.js";
