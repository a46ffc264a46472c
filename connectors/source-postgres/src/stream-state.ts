/**
 * Where a read starts, decoded from the stream's state. Key and cursor values are kept as the
 * text Postgres prints and reads back, so they compare exactly.
 */
export type ReadStart =
  | { readonly kind: "beginning" }
  | { readonly kind: "after_key"; readonly key: readonly string[] }
  /** After the row at this ctid, `{ page, tuple }`; tuple 0 names no row, so `(p,0)` means page p on. */
  | { readonly kind: "after_tid"; readonly page: number; readonly tuple: number }
  | {
      readonly kind: "cursor";
      readonly cursor: string;
      /** Rows with exactly this cursor value already emitted. */
      readonly count: number;
      /** The key of the last row emitted at this cursor value, when the table has one. */
      readonly key: readonly string[] | undefined;
    };

type StateObject = Record<string, unknown>;

const isObject = (value: unknown): value is StateObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const asList = (value: unknown): string[] | undefined => {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  return undefined;
};

const sameList = (a: readonly string[] | undefined, b: readonly string[]) =>
  a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/** Where a full refresh starts: after the key or at the page of an interrupted one, else the beginning. */
export function fullRefreshStart(
  state: unknown,
  table: { readonly primaryKey: readonly string[]; readonly fileNode: number },
): { start: ReadStart; ignored?: string } {
  if (!isObject(state)) return { start: { kind: "beginning" } };
  if (state.state_type === "primary_key") {
    const names = asList(state.pk_name);
    const values = asList(state.pk_val);
    if (sameList(names, table.primaryKey) && values?.length === table.primaryKey.length) {
      return { start: { kind: "after_key", key: values } };
    }
    return {
      start: { kind: "beginning" },
      ignored: "its primary key is not the table's primary key any more",
    };
  }
  if (state.state_type === "ctid") {
    const match = /^\((\d+),(\d+)\)$/.exec(String(state.ctid));
    if (match === null) return { start: { kind: "beginning" }, ignored: "its ctid is malformed" };
    if (state.relation_filenode !== table.fileNode) {
      return {
        start: { kind: "beginning" },
        ignored: "the table was rewritten since (VACUUM FULL, CLUSTER…)",
      };
    }
    return { start: { kind: "after_tid", page: Number(match[1]), tuple: Number(match[2]) } };
  }
  return { start: { kind: "beginning" } };
}

/** Where an incremental read starts, from a cursor state (Airbyte's `cursor_based` shape). */
export function cursorStart(
  state: unknown,
  cursorField: string,
  primaryKey: readonly string[],
): { start: ReadStart; ignored?: string } {
  if (!isObject(state) || state.cursor === undefined || state.cursor === null) {
    return { start: { kind: "beginning" } };
  }
  const field = asList(state.cursor_field);
  if (field !== undefined && !sameList(field, [cursorField])) {
    return { start: { kind: "beginning" }, ignored: `it is for cursor ${JSON.stringify(field)}` };
  }
  const count = typeof state.cursor_record_count === "number" ? state.cursor_record_count : 0;
  const key = asList(state.cursor_pk_val);
  return {
    start: {
      kind: "cursor",
      cursor: String(state.cursor),
      count,
      key: key !== undefined && key.length === primaryKey.length && primaryKey.length > 0 ? key : undefined,
    },
  };
}

const oneOrList = (list: readonly string[]): string | readonly string[] =>
  list.length === 1 ? (list[0] as string) : list;

/** A full-refresh checkpoint after the row with key `values`. */
export const keyState = (names: readonly string[], values: readonly string[]): StateObject => ({
  version: 2,
  state_type: "primary_key",
  pk_name: oneOrList(names),
  pk_val: oneOrList(values),
});

/** A full-refresh checkpoint: every page before `page` is read. */
export const pageState = (page: number, fileNode: number): StateObject => ({
  version: 2,
  state_type: "ctid",
  ctid: `(${page},0)`,
  relation_filenode: fileNode,
});

/** The state of a finished full refresh: the next one starts from the beginning. */
export const fullRefreshDoneState = (): StateObject => ({ version: 2, state_type: "full_refresh_complete" });

/** An incremental checkpoint: the last cursor value, how many rows had it, the last key among them. */
export function cursorState(
  stream: { readonly name: string; readonly namespace: string },
  cursorField: string,
  cursor: string,
  count: number,
  key: readonly string[] | undefined,
): StateObject {
  return {
    version: 2,
    state_type: "cursor_based",
    stream_name: stream.name,
    stream_namespace: stream.namespace,
    cursor_field: [cursorField],
    cursor,
    cursor_record_count: count,
    ...(key === undefined ? {} : { cursor_pk_val: [...key] }),
  };
}
