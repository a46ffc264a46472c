import { type Connector, type RunConnectorOptions, runConnector } from "@weir/cdk";
import { type AirbyteMessage, type ConnectorInvocation, plainRecordMessage } from "@weir/protocol";
import type { ConnectorHandle, ConnectorRun, RunExit } from "./connector-handle.js";

type Batch = readonly AirbyteMessage[];

const DONE: IteratorResult<Batch> = { done: true, value: undefined };
const TAIL_LINES = 20;

function runInProcess(
  connector: Connector,
  invocation: ConnectorInvocation,
  signal: AbortSignal | undefined,
  runnerOptions: Omit<RunConnectorOptions, "signal">,
): ConnectorRun {
  const controller = new AbortController();
  const inner = runConnector(connector, withPlainRecords(invocation), {
    ...runnerOptions,
    signal: controller.signal,
  });
  const tail: string[] = [];
  let failed = false;
  let killed = false;
  let finished = false;
  let pending = false;
  let returned = false;
  let resolveExit: (exit: RunExit) => void = () => undefined;
  const exit = new Promise<RunExit>((resolve) => {
    resolveExit = resolve;
  });

  const note = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const finish = () => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener("abort", kill);
    resolveExit(
      killed
        ? { code: null, signal: "SIGTERM", stderrTail: [...tail] }
        : { code: failed ? 1 : 0, signal: null, stderrTail: [...tail] },
    );
  };
  const threw = (error: unknown) => {
    failed = true;
    note(error instanceof Error ? (error.stack ?? error.message) : String(error));
    finish();
  };
  // Ends the generator without reading on: its `finally` blocks run, then the exit settles.
  // While a `next()` is running, the generator queues this after it.
  const stop = () => {
    inner.return(undefined).then(finish, threw);
  };
  function kill(): void {
    if (killed || finished) return;
    killed = true;
    controller.abort(new Error(`${connector.name} was stopped`));
    // A consumer still reading sees the runner wind down; otherwise nobody would move it on.
    if (!pending) stop();
  }
  if (signal?.aborted) kill();
  else signal?.addEventListener("abort", kill, { once: true });

  const iterator: AsyncIterator<Batch> = {
    async next() {
      if (finished || returned) return DONE;
      pending = true;
      let result: IteratorResult<Batch, void>;
      try {
        result = await inner.next();
      } catch (error) {
        threw(error);
        return DONE;
      } finally {
        pending = false;
      }
      if (result.done === true) {
        finish();
        return DONE;
      }
      for (const message of result.value) {
        if (message.type === "TRACE" && message.trace.type === "ERROR") {
          failed = true;
          note(message.trace.error?.message ?? "error");
        }
      }
      return result;
    },
    async return() {
      if (!returned) {
        returned = true;
        // Nobody reads on, so the run is stopped: an in-process connector lives only while read.
        if (!finished) killed = true;
        controller.abort(new Error(`nobody reads ${connector.name}'s output any more`));
        if (!finished) stop();
      }
      return DONE;
    },
  };
  return { messages: { [Symbol.asyncIterator]: () => iterator }, exit, kill };
}

// Records read off a pipe parse their data lazily (see pipedRecord); a connector gets plain
// objects, which it may copy and spread as it likes.
function withPlainRecords(invocation: ConnectorInvocation): ConnectorInvocation {
  if (invocation.command !== "write") return invocation;
  const source = invocation.input;
  async function* plain(): AsyncGenerator<readonly AirbyteMessage[]> {
    for await (const batch of source) yield batch.map(plainRecordMessage);
  }
  return { ...invocation, input: plain() };
}

/**
 * A built-in connector run in this process through the CDK's runner: messages are passed as
 * objects, never as JSON text. Example: `createInProcessHandle(sourceFaker).run({ command: "spec" })`.
 */
export function createInProcessHandle(
  connector: Connector,
  runnerOptions: Omit<RunConnectorOptions, "signal"> = {},
): ConnectorHandle {
  return {
    description: `built-in ${connector.name}`,
    run: (invocation, options) => runInProcess(connector, invocation, options?.signal, runnerOptions),
  };
}
