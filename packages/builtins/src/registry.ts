import type { Connector } from "@weir/cdk";
import { destinationDuckdb } from "@weir/destination-duckdb";
import { destinationJsonl } from "@weir/destination-jsonl";
import { destinationMysql } from "@weir/destination-mysql";
import { destinationPostgres } from "@weir/destination-postgres";
import { sourceFaker } from "@weir/source-faker";
import { sourceJsonl } from "@weir/source-jsonl";
import { sourceMysql } from "@weir/source-mysql";
import { sourcePostgres } from "@weir/source-postgres";

/** Every built-in connector, by its full name. Adding a connector means adding a line here. */
export const builtinConnectors = {
  "source-faker": sourceFaker,
  "source-jsonl": sourceJsonl,
  "destination-jsonl": destinationJsonl,
  "destination-duckdb": destinationDuckdb,
  "source-mysql": sourceMysql,
  "destination-mysql": destinationMysql,
  "source-postgres": sourcePostgres,
  "destination-postgres": destinationPostgres,
} as const satisfies Record<string, Connector>;

export type BuiltinName = keyof typeof builtinConnectors;
export type ConnectorKind = "source" | "destination";

/** A built-in connector as `weir connectors` lists it. */
export interface BuiltinInfo {
  readonly name: BuiltinName;
  readonly version: string;
  readonly kind: ConnectorKind;
}

const isBuiltinName = (name: string): name is BuiltinName => Object.hasOwn(builtinConnectors, name);

/**
 * Finds a built-in by full name (`source-faker`) or short name (`faker`, with the kind when the
 * short name is ambiguous, as `jsonl` is). Example: `findBuiltin("duckdb", "destination")`.
 */
export function findBuiltin(name: string, kind?: ConnectorKind): Connector | undefined {
  if (isBuiltinName(name)) {
    const connector = builtinConnectors[name];
    return kind === undefined || connector.kind === kind ? connector : undefined;
  }
  const kinds: readonly ConnectorKind[] = kind === undefined ? ["source", "destination"] : [kind];
  const matches = kinds.map((k) => `${k}-${name}`).filter(isBuiltinName);
  return matches.length === 1 && matches[0] !== undefined ? builtinConnectors[matches[0]] : undefined;
}

/** Every built-in with its version and kind. Example: `listBuiltins().map((c) => c.name)`. */
export function listBuiltins(): BuiltinInfo[] {
  return Object.entries(builtinConnectors).map(([name, connector]) => ({
    name: name as BuiltinName,
    version: connector.version,
    kind: connector.kind,
  }));
}
