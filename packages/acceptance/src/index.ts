export type {
  AcceptanceOptions,
  AcceptanceReport,
  AcceptanceSummary,
  AcceptanceTimeouts,
  CheckPhase,
  CheckResult,
  CheckStatus,
  ConnectorKind,
  ExpectedRecord,
  LabelledConfig,
  ReadBackSource,
} from "./acceptance-types.js";
export { type DerivedConfig, deriveInvalidConfig } from "./invalid-config.js";
export { runAcceptanceTests } from "./run-acceptance-tests.js";
