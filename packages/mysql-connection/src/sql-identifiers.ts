/**
 * A MySQL identifier in backticks, backticks doubled; works whatever the session's sql_mode.
 * Example: `quoteIdentifier("my`table") // "`my``table`"`
 */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** `database`.`table`. Example: `qualifiedTable("shop", "users") // "`shop`.`users`"` */
export function qualifiedTable(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: MySQL escapes NUL and Ctrl-Z in string literals
const NEEDS_ESCAPE = /[\0\n\r\b\t\\'"\x1a]/g;
const ESCAPES: Record<string, string> = {
  "\0": "\\0",
  "\n": "\\n",
  "\r": "\\r",
  "\b": "\\b",
  "\t": "\\t",
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "\x1a": "\\Z",
};

/**
 * A string literal with backslash escapes. Valid only in sessions without NO_BACKSLASH_ESCAPES,
 * which is why every Weir connection sets its own sql_mode (see openMysqlConnection).
 * Example: `quoteString("it's") // "'it\\'s'"`
 */
export function quoteString(value: string): string {
  return `'${value.replace(NEEDS_ESCAPE, (ch) => ESCAPES[ch] as string)}'`;
}
