import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from "@weir/protocol";
import type { ConnectorHandle } from "../connector-handle.js";
import { createProcessHandle, type ProcessHandleOptions } from "../process-handle.js";

// The fixtures are plain .mjs files next to this one (tests run from src/, not dist/).
const here = (name: string) => fileURLToPath(new URL(`../../src/test-fixtures/${name}`, import.meta.url));

/** The test source process (see protocol-source.mjs for its behaviours). */
export function fixtureSource(options: Partial<ProcessHandleOptions> = {}): ConnectorHandle {
  return createProcessHandle({
    command: [process.execPath, here("protocol-source.mjs")],
    description: "source-fixture",
    ...options,
  });
}

/** The test destination process (see protocol-destination.mjs). */
export function fixtureDestination(options: Partial<ProcessHandleOptions> = {}): ConnectorHandle {
  return createProcessHandle({
    command: [process.execPath, here("protocol-destination.mjs")],
    description: "destination-fixture",
    ...options,
  });
}

/** One configured stream, "users", as the fixtures emit it. */
export const usersCatalog: ConfiguredAirbyteCatalog = {
  streams: [
    {
      stream: {
        name: "users",
        json_schema: { type: "object" },
        supported_sync_modes: ["full_refresh", "incremental"],
      },
      sync_mode: "incremental",
      destination_sync_mode: "append",
    },
  ],
};

/** Whether a process is gone: no such pid, or a zombie nobody reaped (it holds nothing). */
export function processIsGone(pid: number): boolean {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
  try {
    const stat = readFileSync(path, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state === "Z" || state === "X";
  } catch {
    return true;
  }
}

/** The JSON objects the fixtures print as LOG messages (pid, run directory, received counts). */
export function fixtureReports(messages: readonly AirbyteMessage[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const message of messages) {
    if (message.type !== "LOG" || !message.log.message.startsWith("{")) continue;
    try {
      out.push(JSON.parse(message.log.message) as Record<string, unknown>);
    } catch {
      // not a report
    }
  }
  return out;
}
