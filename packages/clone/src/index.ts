export {
  CloneConfig,
  CloneConnectionConfig,
  CloneEndpoint,
  parseByteSize,
  SubsetConfig,
  SubsetStart,
} from "./clone-config.js";
export type {
  CloneFailure,
  CloneOutcome,
  ClonePhase,
  ClonePlan,
  CloneProgress,
  CloneReport,
  PlannedMaskedColumn,
  PlannedTable,
  TableProgress,
  TableStatus,
} from "./clone-report.js";
export { type CloneRunOptions, runClone } from "./postgres-clone.js";
export {
  displayTableName,
  parseTableReference,
  type TableName,
  type TableReference,
} from "./table-reference.js";
