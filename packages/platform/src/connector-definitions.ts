import { createHash } from "node:crypto";
import { type BuiltinName, findBuiltin, listBuiltins } from "@weir/builtins";
import type { Connector } from "@weir/cdk";
import type { ConnectorSpecification } from "@weir/protocol";
import {
  type ConnectorHandle,
  createContainerHandle,
  createInProcessHandle,
  createProcessHandle,
} from "@weir/runtime";
import type { ConnectorReference } from "./store-tables.js";

export type ActorKind = "source" | "destination";

/** A connector the API can create sources or destinations of. */
export interface ConnectorDefinition {
  /** Airbyte's registry UUID where Airbyte has the connector, so existing scripts keep working. */
  readonly id: string;
  readonly kind: ActorKind;
  /** Airbyte's short name: `faker`, `duckdb`, `local-json`. */
  readonly shortName: string;
  readonly builtin: BuiltinName;
  readonly connector: Connector;
}

// Airbyte's registry ids (see AIRBYTE-API.md 7.2) and the short names Airbyte's clients send.
const AIRBYTE_NAMES: Partial<Record<BuiltinName, { readonly id: string; readonly shortName: string }>> = {
  "source-faker": { id: "dfd88b22-b603-4c3d-aad7-3701784586b1", shortName: "faker" },
  "source-postgres": { id: "decd338e-5647-4c0b-adf4-da0e75f5a750", shortName: "postgres" },
  "source-mysql": { id: "435bb9a5-7887-4809-aa58-28c27df0d7ad", shortName: "mysql" },
  "destination-postgres": { id: "25c5221d-dce2-4163-ade9-739ef790f503", shortName: "postgres" },
  "destination-duckdb": { id: "94bd199c-2ff0-4aa2-b98e-17f0acb72610", shortName: "duckdb" },
  "destination-jsonl": { id: "a625d593-bba5-4a1c-a53d-2d246268a816", shortName: "local-json" },
};

// Connectors Airbyte lacks get a stable id derived from their name (a name-based UUID, v5 layout).
function nameUuid(name: string): string {
  const hex = createHash("sha1").update(`weir:${name}`).digest("hex").slice(0, 32).split("");
  hex[12] = "5";
  hex[16] = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Every built-in as an API definition. Example: `connectorDefinitions().filter((d) => d.kind === "source")`. */
export function connectorDefinitions(): ConnectorDefinition[] {
  return listBuiltins().map((info) => {
    const connector = findBuiltin(info.name) as Connector;
    const known = AIRBYTE_NAMES[info.name];
    return {
      id: known?.id ?? nameUuid(info.name),
      kind: info.kind,
      shortName: known?.shortName ?? info.name.replace(/^(source|destination)-/, ""),
      builtin: info.name,
      connector,
    };
  });
}

/**
 * The definition for an id or a short name (`faker`, also `source-faker`), of a kind.
 * Example: `findDefinition("destination", { name: "duckdb" })`.
 */
export function findDefinition(
  kind: ActorKind,
  by: { readonly id?: string | undefined; readonly name?: string | undefined },
): ConnectorDefinition | undefined {
  const all = connectorDefinitions().filter((d) => d.kind === kind);
  if (by.id !== undefined) return all.find((d) => d.id === by.id);
  if (by.name === undefined) return undefined;
  return all.find(
    (d) => d.shortName === by.name || d.builtin === by.name || d.builtin === `${kind}-${by.name}`,
  );
}

/** The definition behind a stored reference (built-ins only have one). */
export function definitionOfReference(
  kind: ActorKind,
  ref: ConnectorReference,
): ConnectorDefinition | undefined {
  return ref.type === "builtin" ? findDefinition(kind, { name: ref.name }) : undefined;
}

/** The spec of a stored reference's connector, when it is a built-in (others need a `spec` run). */
export function builtinSpec(kind: ActorKind, ref: ConnectorReference): ConnectorSpecification | undefined {
  return definitionOfReference(kind, ref)?.connector.spec;
}

/**
 * A handle that runs the referenced connector, as the CLI resolves its pipelines.
 * Example: `connectorHandle("source", { type: "builtin", name: "source-faker" })`.
 */
export function connectorHandle(kind: ActorKind, ref: ConnectorReference): ConnectorHandle | undefined {
  if (ref.type === "builtin") {
    const definition = findDefinition(kind, { name: ref.name });
    return definition === undefined ? undefined : createInProcessHandle(definition.connector);
  }
  if (ref.type === "image") return createContainerHandle({ image: ref.image });
  if (ref.argv.length === 0) return undefined;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return createProcessHandle({ command: ref.argv, env, description: `command "${ref.argv[0]}"` });
}
