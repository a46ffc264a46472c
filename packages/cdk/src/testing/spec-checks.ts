import { type ConnectorSpecification, compileJsonSchema } from "@weir/protocol";
import { typesOf } from "../schema-walk.js";
import { refProblems, secretProblems } from "../spec-rules.js";

/**
 * What is wrong with a connector's spec, as Airbyte's acceptance tests see it: an empty list when
 * it is fine. Example: `specProblems(spec) // ['password: looks like a secret but is not marked airbyte_secret']`
 */
export function specProblems(spec: ConnectorSpecification): string[] {
  const problems: string[] = [];
  if (typeof spec.protocol_version !== "string") problems.push("protocol_version is missing");
  const schema = spec.connectionSpecification;
  try {
    compileJsonSchema(schema);
  } catch (error) {
    problems.push(`connectionSpecification is not a valid JSON Schema: ${String(error)}`);
    return problems;
  }
  if (!typesOf(schema).includes("object")) problems.push('connectionSpecification must have type "object"');
  problems.push(...refProblems(schema), ...secretProblems(schema));
  return problems;
}
