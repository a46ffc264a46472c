export { catalogProblems, createRecordChecker } from "./catalog-checks.js";
export {
  type DestinationConformanceOptions,
  describeDestinationConformance,
} from "./destination-conformance.js";
export { type InProcessResult, messageInput, runInProcess, streamStatuses } from "./run-in-process.js";
export {
  configuredCatalogFor,
  describeSourceConformance,
  expectProtocolMessages,
  nextStateInput,
  type SourceConformanceOptions,
} from "./source-conformance.js";
export { specProblems } from "./spec-checks.js";
