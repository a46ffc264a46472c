/** The result of splitting a command line: the words, or why the text is not one. */
export type SplitCommandLine =
  | { readonly ok: true; readonly argv: string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Splits a command line into words the way a POSIX shell does for plain words and quotes, but
 * without expanding anything: no variables, globs or operators, because the words are passed to
 * `spawn` as they are. Example: `splitCommandLine("python3 'my main.py' --x")`
 * // `{ ok: true, argv: ["python3", "my main.py", "--x"] }`
 */
export function splitCommandLine(text: string): SplitCommandLine {
  const argv: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (inWord) argv.push(word);
      word = "";
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return { ok: false, message: "unterminated single quote" };
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        // Inside double quotes a backslash only escapes the characters a shell treats specially there.
        if (d === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) {
          word += text[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) return { ok: false, message: "unterminated double quote" };
    } else if (c === "\\") {
      if (i + 1 >= text.length) return { ok: false, message: "a backslash ends the command" };
      word += text[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, message: "the command is empty" };
  return { ok: true, argv };
}
