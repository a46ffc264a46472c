/** A table as a clone file names it: `users`, `public.users`, `"Sales"."Order Items"`. */
export interface TableReference {
  /** Undefined: any cloned schema. */
  readonly schema: string | undefined;
  readonly name: string;
}

/** A table of the source, by its exact names. */
export interface TableName {
  readonly schema: string;
  readonly name: string;
}

/** `public.users` for messages, quoting only names that need it: `"Sales"."Order Items"`. */
export function displayTableName(table: TableName): string {
  return `${displayIdentifier(table.schema)}.${displayIdentifier(table.name)}`;
}

/** A name as a user would type it in a clone file: bare when lower-case and plain, else quoted. */
export function displayIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/**
 * Splits `schema.table` on the dot outside double quotes; quoted parts keep their case and may
 * hold dots and quotes (`""`). Unquoted parts are taken as written (no folding to lower case:
 * the clone file names tables as the catalog stores them). Example:
 * `parseTableReference('"My Schema".users') // { schema: "My Schema", name: "users" }`.
 */
export function parseTableReference(text: string): TableReference | { readonly error: string } {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          current += '"';
          i++;
        } else quoted = false;
      } else current += c;
    } else if (c === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (c === ".") {
      parts.push(current);
      current = "";
      wasQuoted = false;
    } else current += c;
  }
  if (quoted) return { error: `${JSON.stringify(text)}: a double quote is not closed` };
  parts.push(wasQuoted ? current : current.trim());
  const cleaned = parts.map((p, i) => (i < parts.length - 1 ? p.trim() : p));
  if (cleaned.some((p) => p === "")) return { error: `${JSON.stringify(text)}: an empty name` };
  if (cleaned.length > 2) {
    return {
      error: `${JSON.stringify(text)}: expected table or schema.table (quote names holding a dot: "a.b")`,
    };
  }
  return cleaned.length === 2
    ? { schema: cleaned[0] as string, name: cleaned[1] as string }
    : { schema: undefined, name: cleaned[0] as string };
}

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.split("*").map(escapeRegExp).join(".*")}$`, "s");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether a reference (with `*` wildcards) names a table. Example: `referenceMatches({ schema: undefined, name: "tmp_*" }, t)`. */
export function referenceMatches(reference: TableReference, table: TableName): boolean {
  if (reference.schema !== undefined && !globToRegExp(reference.schema).test(table.schema)) return false;
  return globToRegExp(reference.name).test(table.name);
}

/**
 * The one table a reference names among `tables`; an error when none or several match.
 * Example: `resolveTableReference("users", tables)`.
 */
export function resolveTableReference<T extends TableName>(
  text: string,
  tables: readonly T[],
): { ok: true; value: T } | { ok: false; message: string } {
  const reference = parseTableReference(text);
  if ("error" in reference) return { ok: false, message: reference.error };
  const matches = tables.filter(
    (t) => t.name === reference.name && (reference.schema === undefined || t.schema === reference.schema),
  );
  if (matches.length === 1) return { ok: true, value: matches[0] as T };
  if (matches.length > 1) {
    return {
      ok: false,
      message: `table ${JSON.stringify(text)} is in several schemas (${matches
        .map((t) => t.schema)
        .join(", ")}): write schema.${reference.name}`,
    };
  }
  const folded = tables.filter(
    (t) =>
      t.name.toLowerCase() === reference.name.toLowerCase() &&
      (reference.schema === undefined || t.schema.toLowerCase() === reference.schema.toLowerCase()),
  );
  const hint = folded.length > 0 ? `; did you mean ${displayTableName(folded[0] as T)}?` : "";
  return { ok: false, message: `table ${JSON.stringify(text)} is not among the cloned tables${hint}` };
}
