import { type CompiledStreamMappers, compileStreamMappers, type MapperConfig } from "@weir/mappers";
import { binaryMaskable } from "./binary-column-values.js";
import type { CatalogColumn } from "./catalog-types.js";
import {
  type ColumnKind,
  columnKind,
  columnSchema,
  outputMismatch,
  type SchemaTree,
} from "./column-values.js";
import type { MaskingSpec } from "./masking-thread-pool.js";
import { binarySafe } from "./table-copy.js";

/** A column handed to the mappers: its place in the COPY row and how its text is read. */
export interface MaskedColumn {
  readonly index: number;
  readonly name: string;
  readonly kind: ColumnKind;
}

/** A table's compiled mappers, and the columns their records hold. */
export interface TableMasking {
  /** Columns decoded for the mappers (the ones they read or write), by COPY position. */
  readonly columns: readonly MaskedColumn[];
  readonly mappers: CompiledStreamMappers;
  /** What a worker thread needs to compile the same mappers. */
  readonly spec: MaskingSpec;
}

// A clone keeps every table's columns and rows: mappers that remove or add either have no place.
const NOT_IN_A_CLONE: Record<string, string> = {
  drop: "a clone keeps every column: use nullify or redact",
  rename: "a clone keeps the tables' columns as they are",
  filter: "a clone keeps rows consistent across foreign keys: use subset (start: with where:) to choose rows",
};

const pathOf = (field: unknown): string[] =>
  typeof field === "string" ? field.split(".") : Array.isArray(field) ? (field as string[]) : [];

/**
 * Compiles a table's mappers against its columns. `columns` are the COPY columns, in order.
 * Errors name the table, the mapper and the column. Example:
 * `compileTableMasking("public.users", columns, [{ type: "hash", field: "email", key }])`.
 */
export function compileTableMasking(
  table: { readonly schema: string; readonly name: string },
  columns: readonly CatalogColumn[],
  mappers: readonly MapperConfig[],
  baseDirectory: string | undefined,
): { ok: true; value: TableMasking } | { ok: false; message: string } {
  const label = `${table.schema}.${table.name}`;
  const byName = new Map(columns.map((c, index) => [c.name, { column: c, index }]));
  const needed = new Set<string>();
  const nested = new Map<string, SchemaTree>();
  let everything = false;
  for (const [i, mapper] of mappers.entries()) {
    const where = `table ${label}: mapper ${i + 1} (${mapper.type})`;
    const refusal = NOT_IN_A_CLONE[mapper.type];
    if (refusal !== undefined)
      return { ok: false, message: `${where}: not available in a clone: ${refusal}` };
    if (mapper.type === "javascript") {
      for (const [field, schema] of Object.entries(mapper.fields ?? {})) {
        if (!byName.has(field) || schema === null) {
          return {
            ok: false,
            message: `${where}: fields: ${field}: a clone keeps the tables' columns; a javascript mapper may only change existing columns`,
          };
        }
      }
      everything = true;
      continue;
    }
    if (mapper.type === "set" && (mapper.template !== undefined || mapper.where !== undefined))
      everything = true;
    for (const field of ["field", "by", "from"] as const) {
      const path = pathOf((mapper as Record<string, unknown>)[field]);
      const column = path[0];
      if (column === undefined) continue;
      const found = byName.get(column);
      if (found === undefined) {
        const known = columns.map((c) => c.name).join(", ");
        return {
          ok: false,
          message: `${where}: column "${column}" is not in the table; its columns are ${known}`,
        };
      }
      needed.add(column);
      if (path.length > 1) {
        if (columnKind(found.column) !== "json") {
          return {
            ok: false,
            message: `${where}: "${path.join(".")}": only json and jsonb columns have fields inside; ${column} is ${found.column.type}`,
          };
        }
        let tree = nested.get(column) ?? {};
        nested.set(column, tree);
        for (const part of path.slice(1)) {
          tree[part] ??= {};
          tree = tree[part] as SchemaTree;
        }
      }
    }
  }
  const decoded = columns
    .map((c, index) => ({ index, name: c.name, kind: columnKind(c), column: c }))
    .filter((c) => everything || needed.has(c.name));
  const properties: Record<string, unknown> = {};
  for (const c of decoded) properties[c.name] = columnSchema(c.kind, nested.get(c.name));
  const compiled = compileStreamMappers({
    stream: { name: table.name, namespace: table.schema, json_schema: { type: "object", properties } },
    mappers,
    baseDirectory,
  });
  if (!compiled.ok) return { ok: false, message: tableWording(compiled.failure.message) };
  const output = compiled.value.schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const c of decoded) {
    const problem = outputMismatch(c.kind, output?.[c.name]);
    if (problem !== undefined) {
      return {
        ok: false,
        message:
          `table ${label}: column ${c.name} cannot hold what its mappers make: ${problem}; ` +
          "use fake (kind: number), round, redact with a value of the column's type, or nullify",
      };
    }
  }
  return {
    ok: true,
    value: {
      columns: decoded.map(({ index, name, kind }) => ({ index, name, kind })),
      mappers: compiled.value,
      spec: {
        key: `${table.schema}.${table.name}`,
        table: { schema: table.schema, name: table.name },
        columns,
        mappers,
        baseDirectory,
        format: binaryRows(columns, decoded) && !process.env.WEIR_TEXT ? "binary" : "text",
      },
    },
  };
}

/**
 * Whether a masked table can go through COPY's binary format: every column's binary form means
 * the same in both databases, and every column the mappers see is one whose binary form is
 * decoded here (numeric, arrays and the like are read as text).
 */
function binaryRows(
  columns: readonly CatalogColumn[],
  decoded: readonly { column: CatalogColumn }[],
): boolean {
  return columns.every(binarySafe) && decoded.every((c) => binaryMaskable(c.column));
}

/** The mappers' messages speak of streams and fields; a clone has tables and columns. */
function tableWording(message: string): string {
  return message
    .replace(/^stream /, "table ")
    .replace("is not in the stream's schema; its fields", "is not a column of the table; its columns")
    .replace("the stream's schema", "the table's columns");
}
