// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings under test are ${VAR} references, not templates.
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { expandEnvInDocument, expandEnvReferences } from "./env-expansion.js";

describe("expandEnvReferences", () => {
  const env = { USER_NAME: "ada", EMPTY: "", PORT: "5432" };

  it("replaces set variables and applies defaults when unset or empty", () => {
    expect(expandEnvReferences("${USER_NAME}@${HOST:-localhost}:${PORT}/${EMPTY:-db}", env)).toEqual({
      ok: true,
      value: "ada@localhost:5432/db",
      variables: ["USER_NAME", "HOST", "PORT", "EMPTY"],
    });
  });

  it("keeps a set but empty variable without default empty", () => {
    expect(expandEnvReferences("[${EMPTY}]", env)).toMatchObject({ ok: true, value: "[]" });
  });

  it("treats $$ as a literal dollar and leaves a lone $ alone", () => {
    expect(expandEnvReferences("cost $5, $${USER_NAME}", env)).toMatchObject({
      ok: true,
      value: "cost $5, ${USER_NAME}",
    });
  });

  it("names an unset variable", () => {
    const result = expandEnvReferences("${PGPASSWORD}", env);
    expect(result).toEqual({
      ok: false,
      message: "environment variable PGPASSWORD is not set (set it, or give a default: ${PGPASSWORD:-value})",
    });
  });

  it("rejects malformed references", () => {
    expect(expandEnvReferences("${USER_NAME", env)).toMatchObject({ ok: false, message: /unterminated/ });
    expect(expandEnvReferences("${1X}", env)).toMatchObject({
      ok: false,
      message: /not a variable reference/,
    });
  });
});

describe("expandEnvInDocument", () => {
  const yaml = [
    "source:",
    "  config:",
    "    count: ${COUNT}",
    '    label: "${COUNT}"',
    "    flag: ${FLAG}",
    "    url: http://${HOST}:${COUNT}",
    "    ${COUNT}: key-not-expanded",
    "    list: [a, '${HOST}']",
  ].join("\n");

  it("expands string scalars only, retyping unquoted whole references", () => {
    const doc = parseDocument(yaml);
    const errors = expandEnvInDocument(doc, { COUNT: "1000", FLAG: "true", HOST: "h" }, () => undefined);
    expect(errors).toEqual([]);
    expect(doc.toJS()).toEqual({
      source: {
        config: {
          count: 1000,
          label: "1000",
          flag: true,
          url: "http://h:1000",
          "${COUNT}": "key-not-expanded",
          list: ["a", "h"],
        },
      },
    });
  });

  it("reports every unset variable with its path and line", () => {
    const doc = parseDocument(yaml, { keepSourceTokens: false });
    const errors = expandEnvInDocument(doc, { COUNT: "1" }, (node) => node.range?.[0]);
    expect(errors.map((e) => e.path)).toEqual([
      "source.config.flag",
      "source.config.url",
      "source.config.list[1]",
    ]);
    expect(errors[0]?.message).toMatch(/FLAG is not set/);
    expect(typeof errors[0]?.line).toBe("number");
  });
});
