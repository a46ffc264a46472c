import { type ConnectorLogger, configError } from "@weir/cdk";
import { quoteIdentifier } from "@weir/mysql-connection";
import type { ConfiguredAirbyteStream, SyncMode } from "@weir/protocol";
import { type ColumnType, columnTypeFor } from "./column-types.js";
import type { EmittedColumn } from "./row-converter.js";
import type { OrderColumn } from "./sql-position.js";
import { readStreamState } from "./stream-state.js";
import type { TableInfo } from "./table-discovery.js";

/**
 * How a stream is read:
 * - `full_keyset`: full refresh ordered by primary key, in chunks, resumable from the last key;
 * - `full_scan`: full refresh of a table without a primary key (or a view), one unordered scan;
 * - `cursor_keyset`: incremental ordered by (cursor, primary key): ties on the cursor are broken
 *   by the key, so a resumed read neither repeats nor skips rows that share a cursor value;
 * - `cursor_only`: incremental without a primary key: ordered by the cursor, resuming at the
 *   last cursor value and skipping as many rows of it as were already read.
 */
export type ReadMode = "full_keyset" | "full_scan" | "cursor_keyset" | "cursor_only";

/** Where a read stands: the last row's cursor and key, and how many rows had that cursor value. */
export interface Position {
  readonly started: boolean;
  readonly cursor: string | null;
  readonly key: readonly string[] | undefined;
  readonly count: number;
}

export const START: Position = { started: false, cursor: null, key: undefined, count: 0 };

export interface ReadPlan {
  readonly mode: ReadMode;
  /** `expr AS c0, …`: the emitted columns, then hidden key or cursor columns. */
  readonly selectList: string;
  readonly emitted: readonly EmittedColumn[];
  readonly cursor: OrderColumn | undefined;
  readonly primaryKey: readonly OrderColumn[];
  /** Where the cursor and the key columns are in a row. */
  readonly cursorIndex: number;
  readonly keyIndexes: readonly number[];
  /** Paged with LIMIT (an index serves the order), rather than one ordered query. */
  readonly chunked: boolean;
  readonly start: Position;
}

/** What planning needs besides the table. */
export interface PlanInput {
  readonly table: TableInfo;
  readonly configured: ConfiguredAirbyteStream;
  readonly syncMode: SyncMode;
  readonly cursorField: readonly string[] | undefined;
  readonly state: unknown;
  readonly tinyint1AsInteger: boolean;
  readonly logger: ConnectorLogger;
}

const describe = (input: PlanInput) => `Stream ${JSON.stringify(input.table.name)}`;

/**
 * Decides columns, order, chunking and the starting position of one stream's read. Problems
 * with the configured catalog (an unknown column, an unusable cursor) are config errors.
 * Example: `planRead({ table, configured, syncMode: "incremental", cursorField: ["updated_at"], … })`.
 */
export function planRead(input: PlanInput): ReadPlan {
  const { table } = input;
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const types = new Map<string, ColumnType>(
    table.columns.map((c) => [c.name, columnTypeFor(c, input.tinyint1AsInteger)]),
  );
  const wanted = selectedColumns(input, byName);
  const cursorName = cursorColumn(input, types);
  const keyNames = table.primaryKey;
  const mode: ReadMode =
    input.syncMode === "full_refresh"
      ? keyNames.length > 0
        ? "full_keyset"
        : "full_scan"
      : keyNames.length > 0
        ? "cursor_keyset"
        : "cursor_only";

  const selected = [...wanted];
  const indexOf = (name: string): number => {
    let at = selected.indexOf(name);
    if (at < 0) at = selected.push(name) - 1;
    return at;
  };
  const orderColumn = (name: string): OrderColumn => {
    const literal = types.get(name)?.literal;
    if (literal === undefined) {
      throw configError(`${describe(input)}: column ${JSON.stringify(name)} cannot be used to order a read`);
    }
    return { name, quoted: quoteIdentifier(name), literal };
  };
  const usesKey = mode === "full_keyset" || mode === "cursor_keyset";
  const primaryKey = usesKey ? keyNames.map(orderColumn) : [];
  const keyIndexes = usesKey ? keyNames.map(indexOf) : [];
  const cursor = cursorName === undefined ? undefined : orderColumn(cursorName);
  const cursorIndex = cursorName === undefined ? -1 : indexOf(cursorName);

  const selectList = selected
    .map((name, i) => `${(types.get(name) as ColumnType).select(quoteIdentifier(name))} AS c${i}`)
    .join(", ");
  const emitted = wanted.map((name) => ({ field: name, kind: (types.get(name) as ColumnType).kind }));
  const chunked =
    mode === "full_keyset" || (mode === "cursor_keyset" && table.indexLeaders.has(cursorName as string));
  return {
    mode,
    selectList,
    emitted,
    cursor,
    primaryKey,
    cursorIndex,
    keyIndexes,
    chunked,
    start: startPosition(input, mode, cursorName, keyNames),
  };
}

function selectedColumns(input: PlanInput, byName: ReadonlyMap<string, unknown>): string[] {
  const properties = input.configured.stream.json_schema.properties;
  if (typeof properties !== "object" || properties === null || Object.keys(properties).length === 0) {
    return input.table.columns.map((c) => c.name);
  }
  const names = Object.keys(properties);
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw configError(
      `${describe(input)}: column(s) ${missing.map((m) => JSON.stringify(m)).join(", ")} no longer exist in the table; run discover again and update the catalog`,
    );
  }
  const wanted = new Set(names);
  return input.table.columns.filter((c) => wanted.has(c.name)).map((c) => c.name);
}

function cursorColumn(input: PlanInput, types: ReadonlyMap<string, ColumnType>): string | undefined {
  if (input.syncMode !== "incremental") return undefined;
  let path = input.cursorField;
  if (path === undefined || path.length === 0) {
    // Without a cursor the primary key is the only order there is: it picks up new rows, not updates.
    const key = input.table.primaryKey;
    if (key.length === 0) {
      throw configError(
        `${describe(input)}: incremental needs a cursor_field (e.g. updated_at), and the table has no primary key to fall back on`,
      );
    }
    input.logger.log(
      "WARN",
      `${describe(input)}: no cursor_field configured; using the primary key ${JSON.stringify(key[0])}, which reads new rows but not updated ones`,
    );
    path = [key[0] as string];
  }
  if (path.length !== 1) {
    throw configError(
      `${describe(input)}: cursor_field ${JSON.stringify(path)} must name one top-level column`,
    );
  }
  const name = path[0] as string;
  const type = types.get(name);
  if (type === undefined) {
    throw configError(`${describe(input)}: the cursor column ${JSON.stringify(name)} is not in the table`);
  }
  if (type.notCursor !== undefined || type.literal === undefined) {
    throw configError(
      `${describe(input)}: column ${JSON.stringify(name)} cannot be a cursor: ${type.notCursor ?? "its values have no order"}`,
    );
  }
  return name;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function startPosition(
  input: PlanInput,
  mode: ReadMode,
  cursorName: string | undefined,
  keyNames: readonly string[],
): Position {
  const reading = readStreamState(input.state);
  const restart = (why: string): Position => {
    input.logger.log("WARN", `${describe(input)}: starting over: the state ${why}`);
    return START;
  };
  if (reading.kind === "none") return START;
  if (reading.kind === "unusable") return restart(`is not usable (${reading.reason})`);
  const state = reading.state;
  if ("complete" in state) {
    // A finished full refresh; an incremental read after it has no cursor to go on.
    return START;
  }
  if (mode === "full_scan") return START;
  if (mode === "full_keyset") {
    if (state.type !== "primary_key") return START;
    if (!sameList(state.primaryKey, keyNames)) return restart("was written for another primary key");
    return { started: true, cursor: null, key: state.lastKey, count: 0 };
  }
  if (state.type !== "cursor_based") return restart("was not written by an incremental read");
  if (state.cursorField !== cursorName) {
    return restart(`is for cursor ${JSON.stringify(state.cursorField)}, not ${JSON.stringify(cursorName)}`);
  }
  let key = state.lastKey;
  if (key !== undefined && (mode !== "cursor_keyset" || !sameList(state.primaryKey ?? [], keyNames))) {
    input.logger.log(
      "WARN",
      `${describe(input)}: the state's primary key differs from the table's; resuming by cursor value alone`,
    );
    key = undefined;
  }
  const started = !(state.cursor === null && state.cursorRecordCount === 0 && key === undefined);
  return { started, cursor: state.cursor, key, count: state.cursorRecordCount };
}
