import {
  additionalPropertiesProblems,
  enumProblems,
  isSchemaNode,
  oneOfProblems,
  refProblems,
  type SchemaNode,
  secretProblems,
  typeListProblems,
  typesOf,
  validateConfig,
} from "@weir/cdk";
import { type ConnectorSpecification, compileJsonSchema } from "@weir/protocol";
import type { AcceptanceRun } from "./acceptance-run.js";
import type { ConnectorKind } from "./acceptance-types.js";
import { failed, passed, type Verdict } from "./check-recorder.js";
import { failedRun, missingAnswer } from "./connector-output.js";
import { clip, listSome } from "./text-clip.js";

/** What the spec phase learnt. `schemaValid` is false when connectionSpecification does not compile. */
export interface SpecFindings {
  readonly spec: ConnectorSpecification | undefined;
  readonly schemaValid: boolean;
}

const SEMVER = /^\d+\.\d+\.\d+/;

const fromProblems = (problems: readonly string[], what: string): Verdict =>
  problems.length === 0 ? passed() : failed(`${problems.length} ${what}: ${listSome(problems)}`);

/** Why a schema does not compile, or undefined when it does. Example: `schemaError({ type: "objekt" })`. */
export function schemaError(schema: SchemaNode): string | undefined {
  try {
    compileJsonSchema(schema);
    return undefined;
  } catch (error) {
    return clip(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The spec phase: exactly one SPEC, protocol_version, a valid JSON Schema, and the conventions
 * of Airbyte's spec tests (secrets marked, no $ref, additionalProperties true, unique enums,
 * simple type lists, oneOf with a const discriminator). Example: `const { spec } = await runSpecChecks(run)`.
 */
export async function runSpecChecks(run: AcceptanceRun): Promise<SpecFindings> {
  const { recorder } = run;
  let spec: ConnectorSpecification | undefined;
  await recorder.run({ id: "spec.single_message", title: "emits exactly one SPEC" }, async () => {
    const output = await run.execute({ command: "spec" });
    const specs = output.messages.flatMap((m) => (m.type === "SPEC" ? [m.spec] : []));
    if (specs.length === 0) return missingAnswer(output, "SPEC", run.description);
    spec = specs[0];
    const failure = failedRun(output, run.description);
    if (failure !== undefined) return failure;
    if (specs.length > 1) return failed(`printed ${specs.length} SPEC messages; the protocol wants one`);
    if (!isSchemaNode(spec?.connectionSpecification)) {
      return failed("the SPEC has no connectionSpecification object");
    }
    return passed();
  });

  const version = { id: "spec.protocol_version", title: "declares protocol_version" };
  const valid = { id: "spec.valid_json_schema", title: "connectionSpecification is a valid JSON Schema" };
  const secrets = { id: "spec.secrets_marked", title: "secret fields are marked airbyte_secret" };
  const ref = { id: "spec.no_ref", title: "connectionSpecification has no $ref" };
  const additional = {
    id: "spec.additional_properties_true",
    title: "additionalProperties is true wherever set",
  };
  const enums = { id: "spec.enum_unique", title: "enum values are unique" };
  const types = { id: "spec.type_list_shape", title: "type lists are one type, or one type and null" };
  const oneOf = { id: "spec.oneof_usage", title: "oneOf/anyOf variants have one const discriminator" };
  if (spec === undefined || !isSchemaNode(spec.connectionSpecification)) {
    for (const name of [version, valid, secrets, ref, additional, enums, types, oneOf]) {
      recorder.skip(name, "no usable SPEC (spec.single_message failed)");
    }
    return { spec, schemaValid: false };
  }
  const found = spec;
  const schema = found.connectionSpecification;

  await recorder.run(version, () => {
    const declared = found.protocol_version;
    if (typeof declared !== "string") {
      return failed(
        "the SPEC has no protocol_version (Airbyte then assumes 0.2.0, without STREAM state stats)",
      );
    }
    return SEMVER.test(declared)
      ? passed(declared)
      : failed(`protocol_version ${JSON.stringify(declared)} is not a version like "0.18.0"`);
  });
  let schemaValid = false;
  await recorder.run(valid, () => {
    const error = schemaError(schema);
    if (error !== undefined) return failed(`connectionSpecification is not a valid JSON Schema: ${error}`);
    schemaValid = true;
    return typesOf(schema).includes("object")
      ? passed()
      : failed('connectionSpecification must have type "object": a config is a JSON object');
  });
  await recorder.run(secrets, () => fromProblems(secretProblems(schema), "field(s)"));
  await recorder.run(ref, () => fromProblems(refProblems(schema), "$ref(s)"));
  await recorder.run(additional, () => fromProblems(additionalPropertiesProblems(schema, true), "place(s)"));
  await recorder.run(enums, () => fromProblems(enumProblems(schema), "duplicate(s)"));
  await recorder.run(types, () => fromProblems(typeListProblems(schema), "type list(s)"));
  await recorder.run(oneOf, () => fromProblems(oneOfProblems(schema), "problem(s)"));
  return { spec, schemaValid };
}

/** The side a spec says a connector is: destinations list the sync modes they accept. */
export function kindFromSpec(spec: ConnectorSpecification): ConnectorKind {
  return (spec.supported_destination_sync_modes?.length ?? 0) > 0 ? "destination" : "source";
}

/**
 * The spec checks that need the kind or the configs: a destination lists its sync modes; each
 * config matches the spec (top-level keys starting with `_` ignored, as Airbyte does).
 */
export async function runSpecConfigChecks(
  run: AcceptanceRun,
  findings: SpecFindings,
  kind: ConnectorKind | undefined,
): Promise<void> {
  const { recorder } = run;
  const { spec } = findings;
  if (kind === "destination") {
    const name = { id: "spec.destination_sync_modes", title: "lists supported_destination_sync_modes" };
    if (spec === undefined) recorder.skip(name, "no SPEC");
    else {
      await recorder.run(name, () => {
        const modes = spec.supported_destination_sync_modes ?? [];
        return modes.length > 0
          ? passed(modes.join(", "))
          : failed("a destination must list the destination sync modes it accepts");
      });
    }
  }
  for (const entry of run.options.configs) {
    const name = {
      id: "spec.config_valid",
      title: "the config matches the spec",
      config: run.configLabel(entry, run.options.configs),
    };
    if (spec === undefined) recorder.skip(name, "no SPEC");
    else if (!findings.schemaValid) recorder.skip(name, "the spec is not a valid JSON Schema");
    else {
      await recorder.run(name, () => {
        const validation = validateConfig(spec, entry.config);
        return validation.ok ? passed() : failed(`${entry.label}: ${validation.message}`, "config_error");
      });
    }
  }
}
