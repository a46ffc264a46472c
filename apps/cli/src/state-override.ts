import { readFile } from "node:fs/promises";
import { parseExactJson, StateInput } from "@weir/protocol";
import type { Outcome } from "./command-failure.js";

/**
 * Reads a state given on the command line (`weir sync --state FILE`): an array of state
 * messages, as Airbyte stores them for a connection, or a legacy blob. The source gets it as
 * it is, byte for byte where it is unchanged (see stringifyExact); a file that is not a state is
 * a config_error naming it. Example: `await readStateOverride("airbyte-state.json")`.
 */
export async function readStateOverride(file: string): Promise<Outcome<StateInput>> {
  const failure = (why: string): Outcome<never> => ({
    ok: false,
    failure: { type: "config_error", origin: "platform", message: `--state ${file}: ${why}` },
  });
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failure(code === "ENOENT" ? "no such file" : `cannot read it (${String(error)})`);
  }
  let value: unknown;
  try {
    value = parseExactJson(text);
  } catch (error) {
    return failure(`not valid JSON (${(error as Error).message})`);
  }
  const checked = StateInput.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return failure(
      `not an Airbyte state (an array of state messages, or a legacy state object): at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`,
    );
  }
  // The checked value itself, not the schema's copy of it, which has no remembered text.
  return { ok: true, value: value as StateInput };
}
