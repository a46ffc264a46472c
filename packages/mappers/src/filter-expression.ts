// The filter language: field comparisons combined with and / or / not, parsed by hand (never
// evaluated as JavaScript). Grammar, lowest precedence first:
//
//   expression := and ("or" and)*
//   and        := not ("and" not)*
//   not        := "not" not | primary
//   primary    := "(" expression ")"
//               | operand [ comparator operand
//                         | ["not"] "in" "(" literal ("," literal)* ")"
//                         | "is" ["not"] "null" ]
//   operand    := field | literal
//   field      := name ("." name)*   name := [A-Za-z_][A-Za-z0-9_]* | `any text`
//   literal    := number | 'text' | "text" | true | false | null
//   comparator := = | == | != | <> | < | <= | > | >=
//
// Keywords are case-insensitive. A field alone means "is true".

/** A literal value in an expression. */
export type Literal = string | number | boolean | null;

export type Operand =
  | { readonly kind: "field"; readonly path: readonly string[]; readonly at: number }
  | { readonly kind: "literal"; readonly value: Literal; readonly at: number };

export type Comparator = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** A parsed filter expression. `at` is the 0-based offset in the text, for messages. */
export type FilterExpression =
  | { readonly kind: "or" | "and"; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: "not"; readonly operand: FilterExpression }
  | { readonly kind: "compare"; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | {
      readonly kind: "in";
      readonly operand: Operand;
      readonly values: readonly Literal[];
      readonly negated: boolean;
    }
  | { readonly kind: "is_null"; readonly operand: Operand; readonly negated: boolean }
  | { readonly kind: "truthy"; readonly operand: Operand };

/** Why an expression did not parse, and where (0-based offset). */
export interface FilterSyntaxError {
  readonly message: string;
  readonly at: number;
}

type Token =
  | { readonly kind: "name"; readonly text: string; readonly quoted: boolean; readonly at: number }
  | { readonly kind: "number"; readonly value: number; readonly at: number }
  | { readonly kind: "string"; readonly value: string; readonly at: number }
  | { readonly kind: "symbol"; readonly text: string; readonly at: number }
  | { readonly kind: "end"; readonly at: number };

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const SYMBOLS = ["<=", ">=", "!=", "<>", "==", "=", "<", ">", "(", ")", ",", "."];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    const start = at;
    if (char === "'" || char === '"' || char === "`") {
      // A quote inside is doubled ('it''s') or escaped with a backslash ('it\'s').
      let value = "";
      at++;
      for (;;) {
        if (at >= text.length)
          throw new SyntaxProblem(
            `unterminated ${char === "`" ? "name" : "text"}: missing closing ${char}`,
            start,
          );
        const c = text[at] as string;
        if (c === "\\" && at + 1 < text.length) {
          value += text[at + 1];
          at += 2;
        } else if (c === char && text[at + 1] === char) {
          value += char;
          at += 2;
        } else if (c === char) {
          at++;
          break;
        } else {
          value += c;
          at++;
        }
      }
      tokens.push(
        char === "`"
          ? { kind: "name", text: value, quoted: true, at: start }
          : { kind: "string", value, at: start },
      );
      continue;
    }
    NUMBER.lastIndex = at;
    const number = /[-\d.]/.test(char) ? NUMBER.exec(text) : null;
    if (number !== null && !(char === "." && tokens.at(-1)?.kind === "name")) {
      at += number[0].length;
      tokens.push({ kind: "number", value: Number(number[0]), at: start });
      continue;
    }
    if (NAME_START.test(char)) {
      while (at < text.length && NAME_PART.test(text[at] as string)) at++;
      tokens.push({ kind: "name", text: text.slice(start, at), quoted: false, at: start });
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, at));
    if (symbol === undefined) throw new SyntaxProblem(`unexpected character ${JSON.stringify(char)}`, at);
    at += symbol.length;
    tokens.push({ kind: "symbol", text: symbol, at: start });
  }
  tokens.push({ kind: "end", at: text.length });
  return tokens;
}

const COMPARATORS: Record<string, Comparator> = {
  "=": "=",
  "==": "=",
  "!=": "!=",
  "<>": "!=",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

const describe = (token: Token): string => {
  switch (token.kind) {
    case "end":
      return "the end";
    case "name":
      return token.quoted ? `\`${token.text}\`` : `"${token.text}"`;
    case "number":
      return String(token.value);
    case "string":
      return JSON.stringify(token.value);
    case "symbol":
      return `"${token.text}"`;
  }
};

const VALUE = "a value (a field name, a number, a quoted text, true, false or null)";

class Parser {
  #at = 0;
  constructor(private readonly tokens: Token[]) {}

  get #token(): Token {
    return this.tokens[this.#at] as Token;
  }

  #keyword(token: Token, word: string): boolean {
    return token.kind === "name" && !token.quoted && token.text.toLowerCase() === word;
  }

  #takeKeyword(word: string): boolean {
    if (!this.#keyword(this.#token, word)) return false;
    this.#at++;
    return true;
  }

  #takeSymbol(symbol: string): boolean {
    const token = this.#token;
    if (token.kind !== "symbol" || token.text !== symbol) return false;
    this.#at++;
    return true;
  }

  #expect(symbol: string, context: string): void {
    if (!this.#takeSymbol(symbol)) {
      throw new SyntaxProblem(
        `expected "${symbol}" ${context}, found ${describe(this.#token)}`,
        this.#token.at,
      );
    }
  }

  parse(): FilterExpression {
    const expression = this.#or();
    const token = this.#token;
    if (token.kind !== "end") {
      throw new SyntaxProblem(`expected "and", "or" or the end, found ${describe(token)}`, token.at);
    }
    return expression;
  }

  #or(): FilterExpression {
    let left = this.#and();
    while (this.#takeKeyword("or")) left = { kind: "or", left, right: this.#and() };
    return left;
  }

  #and(): FilterExpression {
    let left = this.#not();
    while (this.#takeKeyword("and")) left = { kind: "and", left, right: this.#not() };
    return left;
  }

  #not(): FilterExpression {
    if (this.#takeKeyword("not")) return { kind: "not", operand: this.#not() };
    return this.#primary();
  }

  #primary(): FilterExpression {
    if (this.#takeSymbol("(")) {
      const inner = this.#or();
      this.#expect(")", "to close the parenthesis");
      return inner;
    }
    const left = this.#operand("at the start of a condition");
    const token = this.#token;
    if (token.kind === "symbol" && COMPARATORS[token.text] !== undefined) {
      this.#at++;
      const right = this.#operand(`after "${token.text}"`);
      return { kind: "compare", op: COMPARATORS[token.text] as Comparator, left, right };
    }
    if (this.#keyword(token, "is")) {
      this.#at++;
      const negated = this.#takeKeyword("not");
      if (!this.#takeKeyword("null")) {
        throw new SyntaxProblem(
          `expected "null" after "is${negated ? " not" : ""}", found ${describe(this.#token)}`,
          this.#token.at,
        );
      }
      return { kind: "is_null", operand: left, negated };
    }
    const negatedIn = this.#keyword(token, "not") && this.#keyword(this.tokens[this.#at + 1] as Token, "in");
    if (negatedIn || this.#keyword(token, "in")) {
      this.#at += negatedIn ? 2 : 1;
      this.#expect("(", 'after "in"');
      const values: Literal[] = [this.#literal('in the "in" list')];
      while (this.#takeSymbol(",")) values.push(this.#literal('in the "in" list'));
      this.#expect(")", 'to close the "in" list');
      return { kind: "in", operand: left, values, negated: negatedIn };
    }
    return { kind: "truthy", operand: left };
  }

  #literal(context: string): Literal {
    const operand = this.#operand(context);
    if (operand.kind !== "literal") {
      throw new SyntaxProblem(`expected a number, a quoted text, true, false or null ${context}`, operand.at);
    }
    return operand.value;
  }

  #operand(context: string): Operand {
    const token = this.#token;
    if (token.kind === "number") {
      this.#at++;
      return { kind: "literal", value: token.value, at: token.at };
    }
    if (token.kind === "string") {
      this.#at++;
      return { kind: "literal", value: token.value, at: token.at };
    }
    if (token.kind === "name") {
      const word = token.quoted ? "" : token.text.toLowerCase();
      if (word === "true" || word === "false" || word === "null") {
        this.#at++;
        return { kind: "literal", value: word === "null" ? null : word === "true", at: token.at };
      }
      if (["and", "or", "not", "in", "is"].includes(word)) {
        throw new SyntaxProblem(`expected ${VALUE} ${context}, found the keyword "${token.text}"`, token.at);
      }
      this.#at++;
      const path = [token.text];
      while (this.#takeSymbol(".")) {
        const next = this.#token;
        if (next.kind !== "name")
          throw new SyntaxProblem(`expected a field name after ".", found ${describe(next)}`, next.at);
        path.push(next.text);
        this.#at++;
      }
      return { kind: "field", path, at: token.at };
    }
    throw new SyntaxProblem(`expected ${VALUE} ${context}, found ${describe(token)}`, token.at);
  }
}

/**
 * Parses a filter expression. Example: `parseFilterExpression("age >= 30 and name != 'x'")`;
 * `parseFilterExpression("age >=")` fails with `{ message: "expected a value … after \">=\", found the end", at: 6 }`.
 */
export function parseFilterExpression(
  text: string,
): { ok: true; value: FilterExpression } | { ok: false; error: FilterSyntaxError } {
  try {
    return { ok: true, value: new Parser(tokenize(text)).parse() };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, error: { message: error.message, at: error.at } };
    throw error;
  }
}

/**
 * A syntax error shown where it is: the message with its column, the expression, and a caret.
 * Example: `expected … at column 8:\n  age >= and x\n         ^`.
 */
export function formatFilterSyntaxError(text: string, error: FilterSyntaxError): string {
  // Long expressions are shown around the error only, so the caret stays on screen.
  const from = Math.max(0, error.at - 60);
  const shown = `${from > 0 ? "…" : ""}${text.slice(from, from + 120).replace(/\s/g, " ")}`;
  const caret = " ".repeat(error.at - from + (from > 0 ? 1 : 0));
  return `${error.message} at column ${error.at + 1}:\n  ${shown}\n  ${caret}^`;
}
