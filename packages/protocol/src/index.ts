export type { ConnectorCommand, ConnectorInvocation } from "./invocation.js";
export {
  DEFAULT_MAX_LINE_BYTES,
  decodeMessageStream,
  encodeMessages,
  LineSplitter,
  type OversizedLine,
  type ParsedLine,
  parseLine,
  rawLineOf,
  type SplitLine,
  serializeMessage,
} from "./json-lines.js";
export {
  catalogMessage,
  connectionStatusMessage,
  errorTrace,
  estimateTrace,
  logMessage,
  recordMessage,
  specMessage,
  stateMessage,
  streamDescriptor,
  streamKey,
  streamStateMessage,
  streamStatusTrace,
} from "./message-builders.js";
export { createProtocolValidator, type ProtocolValidator } from "./protocol-validator.js";
export * from "./schemas.js";
