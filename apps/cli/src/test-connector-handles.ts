import type { ConnectorKind } from "@weir/acceptance";
import { type ConnectorHandle, createInProcessHandle } from "@weir/runtime";
import type { Outcome } from "./command-failure.js";
import {
  type CliConnectorChoice,
  findBuiltinConnector,
  resolveCliConnector,
} from "./connector-resolution.js";

/** A resolved connector and, for a built-in, the side it is. */
export interface ResolvedConnector {
  readonly handle: ConnectorHandle;
  readonly kind: ConnectorKind | undefined;
}

/**
 * Turns `NAME`, `--command "…"` or `--image IMAGE` into a handle, keeping a built-in's kind;
 * `option` names the flags in messages (`read-back` for `--read-back-command`).
 * Example: `resolveTestedConnector({ name: "faker" }, undefined, "")`.
 */
export function resolveTestedConnector(
  choice: CliConnectorChoice,
  kind: ConnectorKind | undefined,
  option: string,
): Outcome<ResolvedConnector> {
  if (choice.name !== undefined) {
    const found = findBuiltinConnector(choice.name, kind, option === "" ? "" : `--${option}: `);
    if (!found.ok) return found;
    return { ok: true, value: { handle: createInProcessHandle(found.value), kind: found.value.kind } };
  }
  const resolved = resolveCliConnector(choice, kind);
  if (resolved.ok) return { ok: true, value: { handle: resolved.value, kind } };
  if (option === "") return resolved;
  const message = resolved.failure.message.replace(/^--(command|image)/, `--${option}-$1`);
  return { ok: false, failure: { ...resolved.failure, message } };
}
