/**
 * Parses a Postgres array in its text form (`{1,2,NULL}`, `{{"a b","c\"d"},{e,f}}`,
 * `[0:1]={x,y}`) into nested arrays, converting each element's text with `element`.
 * Example: `parseArrayLiteral('{1,NULL,3}', ",", Number)` is `[1, null, 3]`.
 */
export function parseArrayLiteral(
  text: string,
  delimiter: string,
  element: (text: string) => unknown,
): unknown[] {
  let i = 0;
  // Explicit bounds (`[0:2]={…}`) are dropped: JSON arrays start at 0 anyway.
  if (text.charCodeAt(0) === 91 /* [ */) {
    const eq = text.indexOf("=");
    if (eq < 0) throw new Error(`not an array literal: ${text.slice(0, 40)}`);
    i = eq + 1;
  }
  const parse = (): unknown[] => {
    if (text[i] !== "{") throw new Error(`expected "{" at ${i} in array literal`);
    i++;
    const out: unknown[] = [];
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      const c = text[i];
      if (c === "{") out.push(parse());
      else if (c === '"') {
        i++;
        let value = "";
        let start = i;
        for (;;) {
          const d = text[i];
          if (d === undefined) throw new Error("unterminated quoted element in array literal");
          if (d === "\\") {
            value += text.slice(start, i);
            value += text[i + 1] ?? "";
            i += 2;
            start = i;
          } else if (d === '"') {
            value += text.slice(start, i);
            i++;
            break;
          } else i++;
        }
        out.push(element(value));
      } else {
        const start = i;
        while (i < text.length && text[i] !== delimiter && text[i] !== "}") i++;
        const raw = text.slice(start, i);
        out.push(raw.length === 4 && raw.toUpperCase() === "NULL" ? null : element(raw));
      }
      const next = text[i];
      if (next === delimiter) i++;
      else if (next === "}") {
        i++;
        return out;
      } else throw new Error(`unexpected ${next === undefined ? "end" : `"${next}"`} in array literal`);
    }
  };
  return parse();
}
