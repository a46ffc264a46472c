import { join } from "node:path";
import { configError } from "@weir/cdk";

// Characters no file name may hold on POSIX or Windows, plus `%`, the escape itself; control
// characters are escaped too.
const UNSAFE = new Set(["%", "/", "\\", ":", "*", "?", '"', "<", ">", "|"]);

const isUnsafe = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f || UNSAFE.has(char);
};

const escapeChar = (char: string): string =>
  `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;

/**
 * A stream or namespace name as one file-name segment: unsafe characters and a leading dot are
 * percent-encoded, so `decodeURIComponent` gives the name back.
 * Example: `fileNameSegment("a/b")` → `"a%2Fb"`.
 */
export function fileNameSegment(name: string): string {
  let escaped = "";
  for (const char of name) escaped += isUnsafe(char) ? escapeChar(char) : char;
  return escaped.startsWith(".") ? `%2E${escaped.slice(1)}` : escaped;
}

/**
 * Where a stream's records go. Example: `streamFilePath("/out", { name: "users", namespace: "crm" })`
 * → `"/out/crm/users.jsonl"`.
 */
export function streamFilePath(
  root: string,
  stream: { readonly name: string; readonly namespace?: string | null | undefined },
): string {
  if (stream.name === "") throw configError("A stream in the configured catalog has an empty name.");
  const file = `${fileNameSegment(stream.name)}.jsonl`;
  return stream.namespace ? join(root, fileNameSegment(stream.namespace), file) : join(root, file);
}
