/**
 * Quotes any UTF-8 name as a DuckDB identifier. Example: `quoteIdentifier('we"ird')` is `"we""ird"`.
 * DuckDB refuses a zero-length quoted identifier, so callers map `""` to a real name first.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string as a SQL literal. Example: `quoteLiteral("it's")` is `'it''s'`. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A schema-qualified table name. Example: `qualifiedTable("main", "users")` is `"main"."users"`. */
export function qualifiedTable(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
