/** A Postgres identifier, quoted: `"Order ""Items"""`. Example: `quoteIdentifier('a"b')` is `"a""b"`. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A schema-qualified name, both parts quoted. Example: `qualifiedName("public", "users")`. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * A string literal that needs no standard_conforming_strings assumption: `E'…'` with quotes and
 * backslashes escaped. Example: `quoteLiteral("it's")` is `E'it''s'`.
 */
export function quoteLiteral(value: string): string {
  return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}
