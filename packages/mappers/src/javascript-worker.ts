import { Worker } from "node:worker_threads";
import type { RecordData } from "./field-path.js";
import type { BatchStep, StepResult } from "./mapper-step.js";

// The worker's own code. It is a fixed string of ours, run with `eval: true` only so that it
// needs no file of its own next to the compiled module (tests run the TypeScript sources). It
// imports the user's module and calls its function on each record's data of a batch.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
let mapper;
import(workerData.url).then(
  (module) => {
    const candidate = workerData.exportName === "default" ? module.default : module[workerData.exportName];
    if (typeof candidate !== "function") {
      const found = candidate === undefined ? "nothing" : typeof candidate;
      parentPort.postMessage({ type: "load_error", message: "the module's " + (workerData.exportName === "default" ? "default export" : "export " + JSON.stringify(workerData.exportName)) + " is " + found + ", not a function" });
      return;
    }
    mapper = candidate;
    parentPort.postMessage({ type: "ready" });
  },
  (error) => parentPort.postMessage({ type: "load_error", message: String(error && error.message || error) }),
);
const describe = (error) => (error instanceof Error ? error.name + ": " + error.message : String(error));
parentPort.on("message", async ({ id, records, context }) => {
  const out = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    let result;
    try {
      result = mapper(records[i], context);
      if (result !== null && typeof result === "object" && typeof result.then === "function") result = await result;
    } catch (error) {
      parentPort.postMessage({ id, type: "error", message: "threw on record " + (i + 1) + " of the batch: " + describe(error) });
      return;
    }
    if (result === undefined) result = records[i];
    if (result !== null && (typeof result !== "object" || Array.isArray(result))) {
      parentPort.postMessage({ id, type: "error", message: "returned " + (Array.isArray(result) ? "a list" : typeof result) + " for record " + (i + 1) + " of the batch; expected an object (the new data), undefined (the data as changed in place) or null (drop the record)" });
      return;
    }
    out[i] = result;
  }
  try {
    parentPort.postMessage({ id, type: "result", records: out });
  } catch (error) {
    parentPort.postMessage({ id, type: "error", message: "returned data that cannot be copied out of the worker: " + describe(error) });
  }
});
`;

type Reply =
  | { type: "ready" }
  | { type: "load_error"; message: string }
  | { id: number; type: "result"; records: (RecordData | null)[] }
  | { id: number; type: "error"; message: string };

interface Pending {
  readonly id: number;
  readonly resolve: (result: StepResult<(RecordData | null)[]>) => void;
  readonly timer: NodeJS.Timeout;
}

export interface JavascriptWorkerOptions {
  /** The module's file URL. */
  readonly url: string;
  readonly exportName: string;
  /** The module as the user wrote it, for messages. */
  readonly label: string;
  readonly timeoutMs: number;
  /** Passed to the function as its second argument. */
  readonly context: { readonly stream: string; readonly namespace: string | null };
}

/**
 * Runs a user's function on batches of record data in a worker thread, one batch at a time.
 * The worker starts on the first use; it holds the process open only while a batch is out.
 */
export class JavascriptWorker implements BatchStep {
  #worker: Worker | undefined;
  #ready: Promise<StepResult<void>> | undefined;
  #pending: Pending | undefined;
  #nextId = 0;
  #dead: StepResult<never> | undefined;

  constructor(private readonly options: JavascriptWorkerOptions) {}

  #failure(type: "config_error" | "system_error", message: string): StepResult<never> {
    return { ok: false, failure: { type, message: `javascript mapper ${this.options.label}: ${message}` } };
  }

  #end(result: StepResult<never>): void {
    this.#dead ??= result;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) {
      clearTimeout(pending.timer);
      pending.resolve(result);
    }
  }

  ready(): Promise<StepResult<void>> {
    this.#ready ??= new Promise((resolve) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { url: this.options.url, exportName: this.options.exportName },
      });
      this.#worker = worker;
      worker.on("message", (reply: Reply) => {
        if (reply.type === "ready") {
          worker.unref();
          resolve({ ok: true, value: undefined });
        } else if (reply.type === "load_error") {
          const failure = this.#failure("config_error", `cannot load: ${reply.message}`);
          this.#dead = failure;
          resolve(failure);
          void worker.terminate();
        } else if (this.#pending?.id === reply.id) {
          const pending = this.#pending;
          this.#pending = undefined;
          clearTimeout(pending.timer);
          worker.unref();
          pending.resolve(
            reply.type === "result"
              ? { ok: true, value: reply.records }
              : this.#failure("config_error", reply.message),
          );
        }
      });
      worker.on("error", (error) => {
        // An error the function raised outside a call (a rejected promise nobody awaited, a throw in a timer).
        const failure = this.#failure("config_error", `failed: ${error.name}: ${error.message}`);
        resolve(failure);
        this.#end(failure);
      });
      worker.on("exit", (code) => {
        const failure = this.#failure("system_error", `its worker exited (code ${code})`);
        resolve(failure);
        this.#end(failure);
      });
    });
    return this.#ready;
  }

  async run(records: readonly RecordData[]): Promise<StepResult<(RecordData | null)[]>> {
    const ready = await this.ready();
    if (!ready.ok) return ready;
    if (this.#dead !== undefined) return this.#dead;
    const worker = this.#worker as Worker;
    if (records.length === 0) return { ok: true, value: [] };
    return new Promise((resolve) => {
      const id = this.#nextId++;
      const seconds = this.options.timeoutMs / 1000;
      const timer = setTimeout(() => {
        this.#end(
          this.#failure(
            "config_error",
            `did not finish a batch of ${records.length} records in ${seconds} s`,
          ),
        );
        void worker.terminate();
      }, this.options.timeoutMs);
      this.#pending = { id, resolve, timer };
      worker.ref();
      worker.postMessage({ id, records, context: this.options.context });
    });
  }

  async close(): Promise<void> {
    this.#end(this.#failure("system_error", "closed"));
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }
}
