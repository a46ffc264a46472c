import { Ajv, type Format, type Options, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with a default export; under NodeNext the default import is the
// module object, whose `default` is the plugin at runtime as well.
const addFormats = addFormatsModule.default;

export interface CompileOptions {
  /** Fill in `default` values of the schema while validating (the data is changed in place). */
  readonly useDefaults?: boolean;
  /** Formats to use instead of ajv-formats' ones, e.g. lenient Airbyte date-time. */
  readonly formats?: Readonly<Record<string, Format>>;
  /** Collect every error (the default), or stop at the first: cheaper on a per-record path. */
  readonly allErrors?: boolean;
  /** Say nothing about formats nobody knows (ajv otherwise warns on the console per schema). */
  readonly quiet?: boolean;
}

type Draft = "draft-07" | "2019-09" | "2020-12";

function draftOf(schema: Record<string, unknown>): Draft {
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  if (declared.includes("2020-12")) return "2020-12";
  if (declared.includes("2019-09")) return "2019-09";
  return "draft-07";
}

function createAjv(draft: Draft, options: CompileOptions): Ajv {
  // strict: false because connector specs carry Airbyte keywords (airbyte_secret, order, group…)
  // that are not JSON Schema, and real specs break strict-mode rules all the time.
  const ajvOptions: Options = {
    strict: false,
    allErrors: options.allErrors ?? true,
    useDefaults: options.useDefaults ?? false,
    validateFormats: true,
    ...(options.quiet === true ? { logger: false } : {}),
  };
  const ajv =
    draft === "2020-12"
      ? new Ajv2020(ajvOptions)
      : draft === "2019-09"
        ? new Ajv2019(ajvOptions)
        : new Ajv(ajvOptions);
  addFormats(ajv);
  for (const [name, format] of Object.entries(options.formats ?? {})) ajv.addFormat(name, format);
  return ajv;
}

/**
 * Compiles a JSON Schema (draft-07, 2019-09 or 2020-12, picked from `$schema`; anything else is
 * treated as draft-07) into a validator. Throws when the schema itself is invalid.
 * Example: `const validate = compileJsonSchema({ type: "object" }); validate({}) // true`
 */
export function compileJsonSchema(
  schema: Record<string, unknown>,
  options: CompileOptions = {},
): ValidateFunction {
  const draft = draftOf(schema);
  let compilable = schema;
  if (draft === "draft-07" && typeof schema.$schema === "string" && !schema.$schema.includes("draft-07")) {
    // Older drafts (04, 06) are close enough for specs and stream schemas; ajv would refuse the unknown meta-schema.
    const { $schema: _ignored, ...rest } = schema;
    compilable = rest;
  }
  // One ajv instance per schema: specs may reuse `$id`s, which one shared instance would reject.
  return createAjv(draft, options).compile(compilable);
}
