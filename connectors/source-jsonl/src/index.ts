export { inferJsonSchema } from "./json-schema-inference.js";
export { sourceJsonl } from "./source-jsonl.js";
export { type JsonlSourceConfig, sourceJsonlSpec } from "./source-jsonl-spec.js";
