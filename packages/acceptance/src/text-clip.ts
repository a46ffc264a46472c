/** Cuts a text for a one-line reason. Example: `clip("a very long message…", 20)`. */
export function clip(text: string, max = 300): string {
  const line = text.replace(/\s*\n\s*/g, " | ");
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** The first few items of a list, and how many more there are. Example: `listSome(["a", "b", "c"], 2) // "a; b; and 1 more"` */
export function listSome(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join("; ");
  return `${items.slice(0, max).join("; ")}; and ${items.length - max} more`;
}

/** Repeated problems once each, with how often: `["users: /age must be integer (12 records)"]`. */
export function tally(problems: readonly string[], unit = "times"): string[] {
  const counts = new Map<string, number>();
  for (const problem of problems) counts.set(problem, (counts.get(problem) ?? 0) + 1);
  return [...counts].map(([problem, n]) => (n === 1 ? problem : `${problem} (${n} ${unit})`));
}
