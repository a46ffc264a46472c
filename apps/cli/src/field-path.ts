/**
 * A path into a pipeline file or a config as users read it: keys joined by dots, list indexes
 * in brackets. Example: `formatFieldPath(["streams", 0, "cursor_field"])` // `streams[0].cursor_field`
 */
export function formatFieldPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
