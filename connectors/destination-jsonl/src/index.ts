export { destinationJsonl } from "./destination-jsonl.js";
export { destinationJsonlSpec, type JsonlDestinationConfig } from "./destination-jsonl-spec.js";
export { fileNameSegment, streamFilePath } from "./stream-file-path.js";
