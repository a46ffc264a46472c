import { readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

// Connector processes run detached, each the leader of its own process group, so that a kill
// reaches the helpers it started too. Groups still alive when this process exits (a crash, a
// `process.exit` in the CLI) are killed then, so no connector outlives Weir.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killLeftoversOnExit(): void {
  for (const pgid of liveGroups) signalGroup(pgid, "SIGKILL");
}

/** Remembers a group to kill if this process exits before the run ends. */
export function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", killLeftoversOnExit);
  }
  liveGroups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/** Sends a signal to every process of the group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the group still has a process that is not a zombie. Zombies answer signals but hold
 * nothing; where init does not reap orphans (some containers) they would look alive forever.
 */
export async function groupIsAlive(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return true;
  }
  const stats = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => readFile(`/proc/${pid}/stat`, "utf8").catch(() => "")),
  );
  for (const stat of stats) {
    // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

/** Waits until the group is gone, polling; false when it is still alive after `timeoutMs`. */
export async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await groupIsAlive(pgid))) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
  }
}

/**
 * Stops what is left of a group: SIGTERM, then SIGKILL after `graceMs`. Resolves once the
 * group is gone (or, if even SIGKILL did not clear it within a second, gives up).
 */
export async function reapGroup(pgid: number, graceMs: number): Promise<void> {
  if (!(await groupIsAlive(pgid))) return;
  signalGroup(pgid, "SIGTERM");
  if (await waitForGroupExit(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  await waitForGroupExit(pgid, 1000);
}
