import type {
  AirbyteCatalog,
  AirbyteConnectionStatus,
  AirbyteErrorTraceMessage,
  AirbyteLogMessage,
  AirbyteMessage,
  AirbyteRecordMessage,
  AirbyteStateMessage,
  AirbyteTraceMessage,
  ConnectorInvocation,
  ConnectorSpecification,
} from "@weir/protocol";
import type { Connector } from "../define.js";
import { type RunConnectorOptions, runConnector } from "../run-connector.js";

/** Everything one in-process run printed, sorted by kind. */
export interface InProcessResult {
  /** Every message in order. */
  readonly messages: readonly AirbyteMessage[];
  /** How many batches the run yielded. */
  readonly batches: number;
  readonly records: readonly AirbyteRecordMessage[];
  readonly states: readonly AirbyteStateMessage[];
  readonly traces: readonly AirbyteTraceMessage[];
  readonly logs: readonly AirbyteLogMessage[];
  /** The `error` of every TRACE ERROR. */
  readonly errors: readonly AirbyteErrorTraceMessage[];
  readonly spec?: ConnectorSpecification;
  readonly catalog?: AirbyteCatalog;
  readonly connectionStatus?: AirbyteConnectionStatus;
}

/**
 * Runs a connector command in-process and collects its output.
 * Example: `const { records, states } = await runInProcess(source, { command: "read", config, catalog })`
 */
export async function runInProcess(
  connector: Connector,
  invocation: ConnectorInvocation,
  options: RunConnectorOptions = {},
): Promise<InProcessResult> {
  const messages: AirbyteMessage[] = [];
  const records: AirbyteRecordMessage[] = [];
  const states: AirbyteStateMessage[] = [];
  const traces: AirbyteTraceMessage[] = [];
  const logs: AirbyteLogMessage[] = [];
  const errors: AirbyteErrorTraceMessage[] = [];
  let spec: ConnectorSpecification | undefined;
  let catalog: AirbyteCatalog | undefined;
  let connectionStatus: AirbyteConnectionStatus | undefined;
  let batches = 0;
  for await (const batch of runConnector(connector, invocation, options)) {
    batches++;
    for (const message of batch) {
      messages.push(message);
      switch (message.type) {
        case "RECORD":
          records.push(message.record);
          break;
        case "STATE":
          states.push(message.state);
          break;
        case "TRACE":
          traces.push(message.trace);
          if (message.trace.type === "ERROR" && message.trace.error != null) errors.push(message.trace.error);
          break;
        case "LOG":
          logs.push(message.log);
          break;
        case "SPEC":
          spec = message.spec;
          break;
        case "CATALOG":
          catalog = message.catalog;
          break;
        case "CONNECTION_STATUS":
          connectionStatus = message.connectionStatus;
          break;
      }
    }
  }
  const result: { -readonly [K in keyof InProcessResult]: InProcessResult[K] } = {
    messages,
    batches,
    records,
    states,
    traces,
    logs,
    errors,
  };
  if (spec !== undefined) result.spec = spec;
  if (catalog !== undefined) result.catalog = catalog;
  if (connectionStatus !== undefined) result.connectionStatus = connectionStatus;
  return result;
}

/**
 * Messages as a `write` input, `batchSize` per batch.
 * Example: `runInProcess(destination, { command: "write", config, catalog, input: messageInput(messages) })`
 */
export async function* messageInput(
  messages: readonly AirbyteMessage[],
  batchSize = 100,
): AsyncGenerator<readonly AirbyteMessage[]> {
  for (let i = 0; i < messages.length; i += batchSize) yield messages.slice(i, i + batchSize);
}

/**
 * The stream statuses of a run per stream name, in order, e.g. `{ users: ["STARTED", "RUNNING", "COMPLETE"] }`.
 */
export function streamStatuses(result: Pick<InProcessResult, "traces">): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const trace of result.traces) {
    const status = trace.stream_status;
    if (trace.type !== "STREAM_STATUS" || status == null) continue;
    const d = status.stream_descriptor;
    const key = d.namespace ? `${d.namespace}.${d.name}` : d.name;
    const list = out[key] ?? [];
    list.push(status.status);
    out[key] = list;
  }
  return out;
}
