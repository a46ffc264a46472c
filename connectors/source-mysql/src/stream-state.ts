/**
 * A stream's state, in the shapes of Airbyte's source-mysql (and Weir's source-postgres). Values
 * are the database's own text for the column (numbers as digits, DATETIME as
 * `2024-01-02 03:04:05.123456`, TIMESTAMP in UTC, bytes as base64), so they go back into SQL
 * exactly. Single-column keys are plain strings, composite ones lists.
 *
 * - full refresh under way: `{ version: 2, state_type: "primary_key", pk_name: "id", pk_val: "1000" }`
 * - full refresh done: `{ version: 2, state_type: "full_refresh_complete" }` (the next one starts over)
 * - incremental: `{ version: 2, state_type: "cursor_based", cursor_field: ["updated_at"],
 *   cursor: "2024-…", cursor_record_count: 2, pk_name: "id", cursor_pk_val: ["17"], … }`: the last
 *   row read had cursor `cursor` and key `cursor_pk_val`; `cursor_record_count` rows had that
 *   cursor value (all a stream without a primary key has to go on). `cursor` is null while only
 *   rows with a NULL cursor have been read.
 */
export type MysqlStreamState = KeyPosition | CursorPosition | { readonly complete: true };

export interface KeyPosition {
  readonly type: "primary_key";
  readonly primaryKey: readonly string[];
  readonly lastKey: readonly string[];
}

export interface CursorPosition {
  readonly type: "cursor_based";
  readonly cursorField: string;
  readonly cursor: string | null;
  readonly cursorRecordCount: number;
  /** Present when the stream has a primary key: the tie-breaker among equal cursor values. */
  readonly primaryKey: readonly string[] | undefined;
  readonly lastKey: readonly string[] | undefined;
}

/** Where a state is written for, as Airbyte's states name it. */
export interface StateStream {
  readonly name: string;
  readonly namespace: string;
}

export type StateReading =
  | { readonly kind: "none" }
  | { readonly kind: "state"; readonly state: MysqlStreamState }
  | { readonly kind: "unusable"; readonly reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isTextList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");

// Airbyte's states keep single-column keys and cursor values as plain strings.
const asTextList = (value: unknown): string[] | undefined =>
  isTextList(value) ? value : typeof value === "string" ? [value] : undefined;

const asText = (value: unknown): string | null | undefined =>
  value === null
    ? null
    : typeof value === "string"
      ? value
      : typeof value === "number"
        ? String(value)
        : undefined;

/**
 * Reads a state this source wrote, or Airbyte's source-mysql state
 * (`{ cursor_field: ["updated_at"], cursor: "…", cursor_record_count: 1 }`).
 * Example: `readStreamState({ state_type: "primary_key", pk_name: "id", pk_val: "7" })`.
 */
export function readStreamState(raw: unknown): StateReading {
  if (raw === undefined || raw === null) return { kind: "none" };
  if (!isRecord(raw)) return { kind: "unusable", reason: "it is not a JSON object" };
  if (Object.keys(raw).length === 0) return { kind: "none" };
  if (raw.state_type === "full_refresh_complete" || raw.__ab_full_refresh_sync_complete === true) {
    return { kind: "state", state: { complete: true } };
  }
  const primaryKey = asTextList(raw.pk_name);
  const lastKey = asTextList(raw.state_type === "primary_key" ? raw.pk_val : raw.cursor_pk_val);
  if (raw.state_type === "primary_key") {
    if (primaryKey === undefined || lastKey === undefined || primaryKey.length !== lastKey.length) {
      return { kind: "unusable", reason: "its pk_name and pk_val do not match" };
    }
    return { kind: "state", state: { type: "primary_key", primaryKey, lastKey } };
  }
  const cursorFields = asTextList(raw.cursor_field);
  if (cursorFields !== undefined && cursorFields.length === 1 && "cursor" in raw) {
    const cursor = asText(raw.cursor);
    if (cursor === undefined) return { kind: "unusable", reason: "its cursor is not a string" };
    const count = raw.cursor_record_count;
    const tieBreak =
      primaryKey !== undefined && lastKey !== undefined && primaryKey.length === lastKey.length;
    return {
      kind: "state",
      state: {
        type: "cursor_based",
        cursorField: cursorFields[0] as string,
        cursor,
        cursorRecordCount: typeof count === "number" && Number.isInteger(count) && count > 0 ? count : 0,
        primaryKey: tieBreak ? primaryKey : undefined,
        lastKey: tieBreak ? lastKey : undefined,
      },
    };
  }
  return { kind: "unusable", reason: "it is neither a primary_key nor a cursor_based state" };
}

const oneOrList = (list: readonly string[]): string | readonly string[] =>
  list.length === 1 ? (list[0] as string) : list;

/** The state blob to emit for a position. Example: `writeStreamState({ complete: true }, stream)`. */
export function writeStreamState(state: MysqlStreamState, stream: StateStream): Record<string, unknown> {
  if ("complete" in state) return { version: 2, state_type: "full_refresh_complete" };
  if (state.type === "primary_key") {
    return {
      version: 2,
      state_type: "primary_key",
      pk_name: oneOrList(state.primaryKey),
      pk_val: oneOrList(state.lastKey),
    };
  }
  const out: Record<string, unknown> = {
    version: 2,
    state_type: "cursor_based",
    stream_name: stream.name,
    stream_namespace: stream.namespace,
    cursor_field: [state.cursorField],
    cursor: state.cursor,
    cursor_record_count: state.cursorRecordCount,
  };
  if (state.primaryKey !== undefined && state.lastKey !== undefined) {
    out.pk_name = oneOrList(state.primaryKey);
    out.cursor_pk_val = [...state.lastKey];
  }
  return out;
}
