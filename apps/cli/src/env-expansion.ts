import { type Document, isMap, isPair, isScalar, isSeq, type Node, Scalar } from "yaml";
import { formatFieldPath } from "./field-path.js";

/** The environment the references read from, e.g. `process.env`. */
export type EnvLookup = Readonly<Record<string, string | undefined>>;

export type ExpandResult =
  | { readonly ok: true; readonly value: string; readonly variables: readonly string[] }
  | { readonly ok: false; readonly message: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` (default when unset or empty) in one string; `$$`
 * stands for a literal `$`. Example: `expandEnvReferences("${HOME:-/tmp}/x", process.env)`.
 */
export function expandEnvReferences(text: string, env: EnvLookup): ExpandResult {
  if (!text.includes("$")) return { ok: true, value: text, variables: [] };
  let out = "";
  const variables: string[] = [];
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
      continue;
    }
    if (next !== "{") {
      out += "$";
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf("}", dollar + 2);
    if (close === -1) return { ok: false, message: "unterminated ${ (write $$ for a literal $)" };
    const body = text.slice(dollar + 2, close);
    const separator = body.indexOf(":-");
    const name = separator === -1 ? body : body.slice(0, separator);
    if (!NAME.test(name)) {
      return { ok: false, message: `\${${body}} is not a variable reference (write $$ for a literal $)` };
    }
    const value = env[name];
    if (separator !== -1 && (value === undefined || value === "")) {
      out += body.slice(separator + 2);
    } else if (value === undefined) {
      return {
        ok: false,
        message: `environment variable ${name} is not set (set it, or give a default: \${${name}:-value})`,
      };
    } else {
      out += value;
    }
    variables.push(name);
    i = close + 1;
  }
  return { ok: true, value: out, variables };
}

/** A reference that could not be expanded, with where it is. */
export interface EnvExpansionError {
  readonly path: string;
  readonly line: number | undefined;
  readonly message: string;
}

const WHOLE_REFERENCE = /^\$\{[^}]*\}$/;

/**
 * Expands references in every string scalar value of a parsed YAML document, in place (keys are
 * left alone). An unquoted scalar that is one whole reference, like `count: ${COUNT}`, takes the
 * YAML type of what it expands to (a number or a boolean), as if the value had been written
 * there; quote it to keep a string. Example: `expandEnvInDocument(doc, process.env, lineOf)`.
 */
export function expandEnvInDocument(
  doc: Document,
  env: EnvLookup,
  lineOf: (node: Node) => number | undefined,
): EnvExpansionError[] {
  const errors: EnvExpansionError[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        visit(item, [...path, index]);
      });
    } else if (isScalar(node) && typeof node.value === "string") {
      const original = node.value;
      const result = expandEnvReferences(original, env);
      if (!result.ok) {
        errors.push({ path: formatFieldPath(path), line: lineOf(node), message: result.message });
        return;
      }
      node.value = retype(result.value, node.type === Scalar.PLAIN && WHOLE_REFERENCE.test(original));
    }
  };
  visit(doc.contents, []);
  return errors;
}

function retype(value: string, plainWholeReference: boolean): string | number | boolean {
  if (!plainWholeReference) return value;
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) return Number(value);
  return value;
}
