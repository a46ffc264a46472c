// Kept here for connectors that already import it from the cdk; it lives in @weir/protocol.
export { type CompileOptions, compileJsonSchema } from "@weir/protocol";
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
export { PROTOCOL_VERSION, type RunConnectorOptions, runConnector } from "./run-connector.js";
export {
  isSchemaNode,
  type SchemaNode,
  schemaAtPath,
  shownPath,
  typesOf,
  walkSchema,
} from "./schema-walk.js";
export {
  createSecretMasker,
  isSecretField,
  redactSecrets,
  SECRET_MASK,
  secretValues,
} from "./secret-fields.js";
export {
  additionalPropertiesProblems,
  enumProblems,
  oneOfProblems,
  refProblems,
  secretProblems,
  typeListProblems,
} from "./spec-rules.js";
export { parseStateInput, type StreamStates } from "./state-input.js";
