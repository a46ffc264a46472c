import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import protocolSchema from "./airbyte-protocol.schema.json" with { type: "json" };

// ajv-formats is CommonJS; under NodeNext its default import is the module object, whose
// `default` is the plugin.
const addFormats = addFormatsModule.default;

/**
 * Checks values against the official Airbyte Protocol schema. Slow next to `parseLine`: meant for
 * tests and conformance checks, never for the per-record path.
 * Example: `const validate = createProtocolValidator(); validate(msg) // [] when valid`
 */
export interface ProtocolValidator {
  /** The errors of one AirbyteMessage, e.g. `["message.record.emitted_at: must be integer"]`; empty when valid. */
  (message: unknown): string[];
  /** The errors of a `--catalog` file, e.g. `["catalog.streams[0]: must have required property 'sync_mode'"]`. */
  validateConfiguredCatalog(catalog: unknown): string[];
}

// The schema's own `$id` names every definition; its YAML carries two keywords that are not
// JSON Schema: `existingJavaType` (a code-generation hint) and the stale `version`.
const schemaId = protocolSchema.$id;
const PAYLOAD_OF_TYPE: Readonly<Record<string, string>> = {
  RECORD: "record",
  STATE: "state",
  LOG: "log",
  SPEC: "spec",
  CONNECTION_STATUS: "connectionStatus",
  CATALOG: "catalog",
  TRACE: "trace",
  CONTROL: "control",
  DESTINATION_CATALOG: "destination_catalog",
};

let compiled: { message: ValidateFunction; catalog: ValidateFunction } | undefined;

function compile(): { message: ValidateFunction; catalog: ValidateFunction } {
  if (compiled === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: true, keywords: ["existingJavaType", "version"] });
    addFormats(ajv);
    ajv.addSchema(protocolSchema);
    const definition = (name: string): ValidateFunction => {
      const validate = ajv.getSchema(`${schemaId}#/definitions/${name}`);
      if (validate === undefined) throw new Error(`The vendored Airbyte schema has no definition ${name}`);
      return validate;
    };
    compiled = { message: definition("AirbyteMessage"), catalog: definition("ConfiguredAirbyteCatalog") };
  }
  return compiled;
}

function formatPath(root: string, pointer: string): string {
  let out = root;
  if (pointer === "") return out;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  }
  return out;
}

function describe(root: string, error: ErrorObject): string {
  const where = formatPath(root, error.instancePath);
  if (error.keyword === "enum") {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${where}: must be one of ${allowed.map((value) => JSON.stringify(value)).join(", ")}`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
}

function errorsOf(root: string, validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => describe(root, error));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Builds a validator for AirbyteMessages and configured catalogs, per the official schema
 * (protocol 0.18.0) plus the one envelope rule the schema cannot say: a message carries the
 * payload of its type (`record` for RECORD, `connectionStatus` for CONNECTION_STATUS…).
 * Example: `createProtocolValidator()({ type: "LOG", log: { level: "INFO", message: "hi" } }) // []`
 */
export function createProtocolValidator(): ProtocolValidator {
  const { message, catalog } = compile();
  const validateMessage = (value: unknown): string[] => {
    const errors = errorsOf("message", message, value);
    if (isObject(value) && typeof value.type === "string") {
      const payload = PAYLOAD_OF_TYPE[value.type];
      if (payload !== undefined && (value[payload] === undefined || value[payload] === null)) {
        errors.push(`message.${payload}: required for a ${value.type} message`);
      }
    }
    return errors;
  };
  return Object.assign(validateMessage, {
    validateConfiguredCatalog: (value: unknown): string[] => errorsOf("catalog", catalog, value),
  });
}
