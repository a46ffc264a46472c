import type { AirbyteMessage, ConnectorInvocation } from "@weir/protocol";
import type { ConnectorHandle, RunExit } from "@weir/runtime";

// A connector written as plain answers per command, without the CDK: the CDK never breaks the
// protocol's envelope rules, so the checks that catch a connector breaking them need one that
// can. It implements ConnectorHandle the way an in-process connector does; no transport is mocked.

/** What a scripted connector answers one command with. */
export interface ScriptedAnswer {
  readonly messages: readonly AirbyteMessage[];
  /** Default 0. */
  readonly exitCode?: number;
  /** Lines a process would have written to stderr. */
  readonly stderr?: readonly string[];
  /** Never ends by itself: it waits to be killed. */
  readonly hang?: boolean;
}

export type Script = (invocation: ConnectorInvocation) => Promise<ScriptedAnswer> | ScriptedAnswer;

/** Example: `scriptedHandle("broken-source", (inv) => ({ messages: inv.command === "spec" ? [specMsg] : [] }))`. */
export function scriptedHandle(name: string, script: Script): ConnectorHandle {
  return {
    description: name,
    run(invocation) {
      let killed: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => {
        killed = resolve;
      });
      let resolveExit: (exit: RunExit) => void = () => undefined;
      const exit = new Promise<RunExit>((resolve) => {
        resolveExit = resolve;
      });
      let wasKilled = false;
      async function* messages(): AsyncGenerator<readonly AirbyteMessage[]> {
        const answer = await script(invocation);
        try {
          if (answer.messages.length > 0) yield answer.messages;
          if (answer.hang === true) await stopped;
        } finally {
          resolveExit(
            wasKilled
              ? { code: null, signal: "SIGTERM", stderrTail: [...(answer.stderr ?? [])] }
              : { code: answer.exitCode ?? 0, signal: null, stderrTail: [...(answer.stderr ?? [])] },
          );
        }
      }
      return {
        messages: messages(),
        exit,
        kill: () => {
          wasKilled = true;
          killed();
        },
      };
    },
  };
}

/** Every message of a write's input, read to the end (as a destination must). */
export async function drainInput(invocation: ConnectorInvocation): Promise<AirbyteMessage[]> {
  if (invocation.command !== "write") return [];
  const out: AirbyteMessage[] = [];
  for await (const batch of invocation.input) out.push(...batch);
  return out;
}
