// The CLI's reusable parts: a server or another tool reads the same pipeline files and state.
export {
  type CommandFailure,
  describeFailureCause,
  type FailureOrigin,
  type Outcome,
} from "./command-failure.js";
export { buildConfiguredCatalog, type CatalogChoices } from "./configured-catalog.js";
export { type EnvLookup, expandEnvReferences } from "./env-expansion.js";
export {
  type BuiltinConnectorRef,
  type CommandConnectorRef,
  loadPipelineFile,
  type Pipeline,
  type PipelineConnectorRef,
  type PipelineStream,
  parsePipelineText,
} from "./pipeline-file.js";
export { removeStreamState, statedStreamNames } from "./remove-stream-state.js";
export {
  createStateWriter,
  defaultStateDir,
  readStateFile,
  type StateFile,
  stateFilePath,
  writeStateFile,
} from "./state-store.js";
