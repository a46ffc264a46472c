export { parseExactJson, rememberJsonText, stringifyExact } from "./exact-json.js";
export type { ConnectorCommand, ConnectorInvocation } from "./invocation.js";
export {
  ByteLineSplitter,
  DEFAULT_MAX_LINE_BYTES,
  type DecodedLines,
  decodeMessageStream,
  encodeMessageBytes,
  encodeMessages,
  type LineHandler,
  LineSplitter,
  MessageDecoder,
  type OversizedLine,
  type ParsedLine,
  parseLine,
  parseLineBytes,
  type SkippedLine,
  type SplitLine,
  serializeMessage,
} from "./json-lines.js";
export { type CompileOptions, compileJsonSchema } from "./json-schema-compiler.js";
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
export { plainRecordMessage, rawLineLength, rawLineOf } from "./piped-record.js";
export { createProtocolValidator, type ProtocolValidator } from "./protocol-validator.js";
export {
  compileRecordSchema,
  createRecordSchemaChecker,
  type RecordSchemaCheck,
  type RecordSchemaOptions,
} from "./record-schema-check.js";
export * from "./schemas.js";
