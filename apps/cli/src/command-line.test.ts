import { describe, expect, it } from "vitest";
import { splitCommandLine } from "./command-line.js";

describe("splitCommandLine", () => {
  it("splits on whitespace and keeps quoted words together", () => {
    expect(splitCommandLine(`python3  "my main.py" 'a b' c\\ d --x="1 2"`)).toEqual({
      ok: true,
      argv: ["python3", "my main.py", "a b", "c d", "--x=1 2"],
    });
  });

  it("expands nothing: variables and globs stay as written", () => {
    expect(splitCommandLine(`node $HOME/*.mjs "\\$X"`)).toEqual({
      ok: true,
      argv: ["node", "$HOME/*.mjs", "$X"],
    });
  });

  it("keeps an empty quoted word", () => {
    expect(splitCommandLine(`prog "" ''`)).toEqual({ ok: true, argv: ["prog", "", ""] });
  });

  it("rejects unterminated quotes and empty commands", () => {
    expect(splitCommandLine(`prog "oops`)).toEqual({ ok: false, message: "unterminated double quote" });
    expect(splitCommandLine(`prog 'oops`)).toEqual({ ok: false, message: "unterminated single quote" });
    expect(splitCommandLine("   ")).toEqual({ ok: false, message: "the command is empty" });
  });
});
