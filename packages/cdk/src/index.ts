export {
  type ConfigIssue,
  type ConfigValidation,
  formatConfigIssue,
  validateConfig,
} from "./config-validation.js";
export {
  type CheckResult,
  type Connector,
  type ConnectorContext,
  type ConnectorLogger,
  type DestinationConnector,
  type DestinationWriter,
  defineDestination,
  defineSource,
  type RecordData,
  type SourceConnector,
  type StreamChunk,
  type StreamDefinition,
  type StreamReadContext,
  type SupportedDestinationSyncModes,
  type WriteContext,
  type WriteResult,
} from "./define.js";
export { waitForDrain } from "./drain.js";
export { runEntrypoint } from "./entrypoint.js";
export { type EntrypointArgs, parseEntrypointArgs } from "./entrypoint-args.js";
export { ConnectorError, configError, systemError, transientError } from "./errors.js";
export { describeFailure, type FailureDescription } from "./failure-description.js";
export { type CompileOptions, compileJsonSchema } from "./json-schema-compiler.js";
export { PROTOCOL_VERSION, type RunConnectorOptions, runConnector } from "./run-connector.js";
export {
  createSecretMasker,
  isSecretField,
  redactSecrets,
  SECRET_MASK,
  secretValues,
} from "./secret-fields.js";
export { parseStateInput, type StreamStates } from "./state-input.js";
