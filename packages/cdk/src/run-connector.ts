import {
  type AirbyteMessage,
  type AirbyteStream,
  type ConnectorInvocation,
  type ConnectorSpecification,
  catalogMessage,
  connectionStatusMessage,
  specMessage,
} from "@weir/protocol";
import { validateConfig } from "./config-validation.js";
import type {
  Connector,
  ConnectorContext,
  DestinationConnector,
  SourceConnector,
  StreamDefinition,
} from "./define.js";
import { describeFailure } from "./failure-description.js";
import { DEFAULT_FLUSH_EVERY_RECORDS, DEFAULT_FLUSH_INTERVAL_MS } from "./flush-policy.js";
import { runWrite } from "./run-destination.js";
import { RunLog } from "./run-log.js";
import { runRead } from "./run-source.js";
import { createSecretMasker } from "./secret-fields.js";

/** How `runConnector` runs. */
export interface RunConnectorOptions {
  /** Cancels the run: a source stops between chunks, a destination closes with `ok: false`. */
  readonly signal?: AbortSignal;
  /** Records per STATE checkpoint at most; overrides the connector's `checkpointEvery`. */
  readonly checkpointEvery?: number;
  /** `write`: flush (and echo the states waiting for it) at least this often, in ms; default 1000. */
  readonly flushIntervalMs?: number;
  /** `write`: flush (and echo the states waiting for it) once this many records are unflushed; default 50,000. */
  readonly flushEveryRecords?: number;
}

/** The protocol version Weir speaks, announced in SPEC when the connector does not say, e.g. "0.18.0". */
export const PROTOCOL_VERSION = "0.18.0";

const DEFAULT_CHECKPOINT_EVERY = 1000;

type AnyConfig = Record<string, unknown>;
// The runner validates the config against the spec, then hands it to a connector typed for it.
type Source = SourceConnector<AnyConfig>;
type Destination = DestinationConnector<AnyConfig>;

function specOf(connector: Connector): ConnectorSpecification {
  return { ...connector.spec, protocol_version: connector.spec.protocol_version ?? PROTOCOL_VERSION };
}

function catalogStream(stream: StreamDefinition<AnyConfig>): AirbyteStream {
  const out: AirbyteStream = {
    name: stream.name,
    json_schema: stream.jsonSchema,
    supported_sync_modes: [...stream.supportedSyncModes],
  };
  if (stream.namespace) out.namespace = stream.namespace;
  if (stream.sourceDefinedCursor !== undefined) out.source_defined_cursor = stream.sourceDefinedCursor;
  if (stream.defaultCursorField !== undefined) out.default_cursor_field = [...stream.defaultCursorField];
  if (stream.primaryKey !== undefined) out.source_defined_primary_key = stream.primaryKey.map((k) => [...k]);
  if (stream.isResumable !== undefined) out.is_resumable = stream.isResumable;
  return out;
}

async function checkConnection(
  connector: Source | Destination,
  ctx: ConnectorContext<AnyConfig>,
  log: RunLog,
) {
  if (connector.check === undefined) return connectionStatusMessage("SUCCEEDED");
  try {
    const result = await connector.check(ctx);
    return result.ok
      ? connectionStatusMessage("SUCCEEDED")
      : connectionStatusMessage("FAILED", log.mask(result.message));
  } catch (error) {
    const failure = describeFailure(error, "The connection check failed");
    log.log("ERROR", failure.internalMessage ?? failure.message, failure.stackTrace);
    return connectionStatusMessage("FAILED", log.mask(failure.message));
  }
}

async function* runCommand(
  connector: Connector,
  invocation: ConnectorInvocation,
  log: RunLog,
  signal: AbortSignal,
  options: RunConnectorOptions,
): AsyncGenerator<readonly AirbyteMessage[]> {
  if (invocation.command === "spec") {
    yield [specMessage(specOf(connector))];
    return;
  }
  const validation = validateConfig(connector.spec, invocation.config);
  if (validation.ok) log.useMasker(createSecretMasker(connector.spec, validation.config));
  else if (invocation.command === "check") {
    yield [connectionStatusMessage("FAILED", `The config is invalid: ${validation.message}`)];
    return;
  } else {
    yield [log.problemTrace(`The config is invalid: ${validation.message}`)];
    return;
  }
  const config = validation.config;
  const source = connector.kind === "source" ? (connector as Source) : undefined;
  const destination = connector.kind === "destination" ? (connector as Destination) : undefined;
  const ctx: ConnectorContext<AnyConfig> = { config, logger: log, signal };

  switch (invocation.command) {
    case "check": {
      const status = await checkConnection((source ?? destination) as Source | Destination, ctx, log);
      yield log.withPending([status]);
      return;
    }
    case "discover": {
      if (source === undefined) break;
      try {
        const streams = await source.streams(ctx);
        yield log.withPending([catalogMessage({ streams: streams.map(catalogStream) })]);
      } catch (error) {
        yield log.withPending([
          log.errorTrace(describeFailure(error, "Discovering the source's streams failed")),
        ]);
      }
      return;
    }
    case "read": {
      if (source === undefined) break;
      yield* runRead(source, {
        config,
        catalog: invocation.catalog,
        state: invocation.state,
        log,
        signal,
        checkpointEvery: options.checkpointEvery ?? source.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY,
      });
      return;
    }
    case "write": {
      if (destination === undefined) break;
      yield* runWrite(destination, {
        config,
        catalog: invocation.catalog,
        input: invocation.input,
        log,
        signal,
        flushIntervalMs: options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
        flushEveryRecords: options.flushEveryRecords ?? DEFAULT_FLUSH_EVERY_RECORDS,
      });
      return;
    }
  }
  const problem = `${connector.name} is a ${connector.kind} and has no ${invocation.command} command`;
  yield log.withPending([log.problemTrace(problem, "system_error")]);
}

/**
 * Runs one connector command in-process and yields its output as batches of messages: exactly
 * what the connector's bin would print. Connector failures become messages (TRACE ERROR, or
 * CONNECTION_STATUS FAILED for check); this never throws for them.
 * Example: `for await (const batch of runConnector(source, { command: "check", config })) …`
 */
export async function* runConnector(
  connector: Connector,
  invocation: ConnectorInvocation,
  options: RunConnectorOptions = {},
): AsyncGenerator<readonly AirbyteMessage[], void, undefined> {
  const log = new RunLog();
  const signal = options.signal ?? new AbortController().signal;
  try {
    yield* runCommand(connector, invocation, log, signal, options);
  } catch (error) {
    // Only a bug of the CDK (or a connector's spec that is not JSON Schema) gets here.
    yield log.withPending([
      log.errorTrace(describeFailure(error, `${connector.name} ${invocation.command} failed`)),
    ]);
  }
}
