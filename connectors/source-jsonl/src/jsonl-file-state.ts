import { createHash } from "node:crypto";

/**
 * A stream's state: how far its append-only file was read, e.g.
 * `{ "byte_offset": 52000, "line_count": 120, "head_sha256": "ab12…" }`. The head is a hash of
 * the file's first bytes (up to 1 KiB, and never past the offset): a file replaced by a new one
 * (an overwrite) no longer matches it, and is read again from the start.
 */
export interface JsonlFileState {
  readonly byteOffset: number;
  readonly lineCount: number;
  readonly headSha256: string;
}

/** How many leading bytes the head hash covers at most. */
export const HEAD_BYTES = 1024;

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0;

/** The state, or undefined when there is none; a reason when it is not one of ours. */
export function readJsonlFileState(raw: unknown): JsonlFileState | undefined | { invalid: string } {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) return { invalid: "it is not a JSON object" };
  const state = raw as Record<string, unknown>;
  if (Object.keys(state).length === 0) return undefined;
  if (!isCount(state.byte_offset) || !isCount(state.line_count) || typeof state.head_sha256 !== "string") {
    return { invalid: "it needs byte_offset, line_count and head_sha256" };
  }
  return { byteOffset: state.byte_offset, lineCount: state.line_count, headSha256: state.head_sha256 };
}

/** Hash of the head bytes up to `offset`. Example: `headHash(firstKiB, 52000)`. */
export function headHash(head: Buffer, offset: number): string {
  return createHash("sha256")
    .update(head.subarray(0, Math.min(offset, head.length)))
    .digest("hex");
}

/** The state blob to emit. */
export function writeJsonlFileState(state: JsonlFileState): Record<string, unknown> {
  return { byte_offset: state.byteOffset, line_count: state.lineCount, head_sha256: state.headSha256 };
}
