import { fieldAccess, fieldPathText, type RecordData } from "./field-path.js";
import {
  type Comparator,
  type FilterExpression,
  formatFilterSyntaxError,
  type Literal,
  type Operand,
  parseFilterExpression,
} from "./filter-expression.js";
import type { FilterMapperConfig } from "./mapper-config.js";
import { type CompileOutcome, configProblem, type MapperContext, recordStep } from "./mapper-step.js";
import { missingFieldMessage, schemaTypes } from "./stream-schema.js";

/** A compiled condition on record data. */
export type RecordPredicate = (data: RecordData) => boolean;

type Getter = (data: RecordData) => unknown;

// Semantics, kept simple and total (no value ever throws):
// - a missing field reads as null; `is null` is true for both;
// - `=` compares numbers with numbers, text with text, booleans with booleans; never across
//   types, so 1 = '1' is false; `!=` is its negation; `= null` means `is null`;
// - <, <=, >, >= hold only between two numbers or two texts (texts by code unit, so ISO dates
//   compare in time order); anything else is false, and so is its `not`-less comparison.
function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  return a === b;
}

function ordered(a: unknown, b: unknown, op: Comparator): boolean {
  if (
    !((typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string"))
  ) {
    return false;
  }
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

function comparison(op: Comparator, left: Getter, right: Getter): RecordPredicate {
  if (op === "=") return (data) => equal(left(data), right(data));
  if (op === "!=") return (data) => !equal(left(data), right(data));
  return (data) => ordered(left(data), right(data), op);
}

type LiteralType = "string" | "number" | "boolean" | "null";
const literalType = (value: Literal): LiteralType =>
  value === null ? "null" : (typeof value as "string" | "number" | "boolean");

/** Compiles a parsed expression; a field the schema lacks, or a comparison that can never hold, is a config error. */
class PredicateCompiler {
  constructor(
    private readonly context: MapperContext,
    private readonly text: string,
  ) {}

  #problem(message: string, at: number): never {
    throw new ExpressionProblem(
      `${message} ${formatFilterSyntaxError(this.text, { message: "", at }).slice(1)}`,
    );
  }

  #operand(operand: Operand): { get: Getter; types: Set<string> | undefined } {
    if (operand.kind === "literal") {
      const value = operand.value;
      return { get: () => value, types: new Set([literalType(value)]) };
    }
    const found = this.context.schema.find(operand.path);
    if (!("node" in found))
      throw new ExpressionProblem(missingFieldMessage(this.context.streamName, this.context.label, found));
    const access = fieldAccess(operand.path);
    return {
      get: access.path.length === 1 ? topLevel(access.path[0] as string) : access.get,
      types: schemaTypes(found.node),
    };
  }

  #checkTypes(
    left: Operand,
    leftTypes: Set<string> | undefined,
    right: Operand,
    rightTypes: Set<string> | undefined,
  ) {
    if (leftTypes === undefined || rightTypes === undefined) return;
    const comparable = (t: string) => (t === "integer" ? "number" : t);
    const a = new Set([...leftTypes].map(comparable));
    const b = new Set([...rightTypes].map(comparable));
    if (a.has("null") || b.has("null")) return;
    if ([...a].some((t) => b.has(t))) return;
    const field = left.kind === "field" ? left : right.kind === "field" ? right : undefined;
    if (field === undefined || field.kind !== "field") return;
    const [fieldTypes, otherTypes] = field === left ? [leftTypes, rightTypes] : [rightTypes, leftTypes];
    this.#problem(
      `field "${fieldPathText(field.path)}" is ${[...fieldTypes].join(" or ")} and is compared with ${[...otherTypes].join(" or ")}, which never matches`,
      (field === left ? right : left).at,
    );
  }

  compile(expression: FilterExpression): RecordPredicate {
    switch (expression.kind) {
      case "or": {
        const left = this.compile(expression.left);
        const right = this.compile(expression.right);
        return (data) => left(data) || right(data);
      }
      case "and": {
        const left = this.compile(expression.left);
        const right = this.compile(expression.right);
        return (data) => left(data) && right(data);
      }
      case "not": {
        const inner = this.compile(expression.operand);
        return (data) => !inner(data);
      }
      case "truthy": {
        const { get } = this.#operand(expression.operand);
        return (data) => get(data) === true;
      }
      case "is_null": {
        const { get } = this.#operand(expression.operand);
        return expression.negated ? (data) => get(data) != null : (data) => get(data) == null;
      }
      case "in": {
        const { get, types } = this.#operand(expression.operand);
        for (const value of expression.values) {
          this.#checkTypes(
            expression.operand,
            types,
            { kind: "literal", value, at: expression.operand.at },
            new Set([literalType(value)]),
          );
        }
        const values = new Set<unknown>(expression.values);
        const hasNull = values.has(null);
        const member = (data: RecordData) => {
          const value = get(data);
          return value == null ? hasNull : values.has(value);
        };
        return expression.negated ? (data) => !member(data) : member;
      }
      case "compare": {
        const left = this.#operand(expression.left);
        const right = this.#operand(expression.right);
        this.#checkTypes(expression.left, left.types, expression.right, right.types);
        return comparison(expression.op, left.get, right.get);
      }
    }
  }
}

const topLevel =
  (name: string): Getter =>
  (data) =>
    data[name];

class ExpressionProblem extends Error {}

/**
 * Parses and compiles a condition against the stream's schema as it is at this mapper.
 * Example: `compilePredicate(context, "age >= 30")` → `{ ok: true, value: (data) => … }`.
 */
export function compilePredicate(
  context: MapperContext,
  text: string,
): { ok: true; value: RecordPredicate } | { ok: false; message: string } {
  const parsed = parseFilterExpression(text);
  if (!parsed.ok)
    return configProblem(
      context,
      `the condition does not parse: ${formatFilterSyntaxError(text, parsed.error)}`,
    );
  try {
    return { ok: true, value: new PredicateCompiler(context, text).compile(parsed.value) };
  } catch (error) {
    if (!(error instanceof ExpressionProblem)) throw error;
    const message = error.message;
    return message.startsWith("stream ") ? { ok: false, message } : configProblem(context, message);
  }
}

/** `filter`: keeps only the records matching a condition. */
export function compileFilterMapper(context: MapperContext, config: FilterMapperConfig): CompileOutcome {
  const predicate = compilePredicate(context, config.where);
  if (!predicate.ok) return predicate;
  const test = predicate.value;
  return recordStep((work) => test(work.data), { mutates: false });
}
