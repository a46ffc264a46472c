import type { AirbyteMessage, ConnectorInvocation, StreamDescriptor } from "@weir/protocol";
import type { ConnectorHandle } from "@weir/runtime";

const withoutNamespace = (descriptor: StreamDescriptor): StreamDescriptor => ({ name: descriptor.name });

function stripped(message: AirbyteMessage): AirbyteMessage {
  if (message.type === "RECORD") {
    const { namespace: _dropped, ...record } = message.record;
    return { ...message, record };
  }
  if (message.type === "STATE" && message.state.stream) {
    const stream = {
      ...message.state.stream,
      stream_descriptor: withoutNamespace(message.state.stream.stream_descriptor),
    };
    return { ...message, state: { ...message.state, stream } };
  }
  if (message.type === "TRACE" && message.trace.stream_status) {
    const status = {
      ...message.trace.stream_status,
      stream_descriptor: withoutNamespace(message.trace.stream_status.stream_descriptor),
    };
    return { ...message, trace: { ...message.trace, stream_status: status } };
  }
  return message;
}

function restored(message: AirbyteMessage, namespace: string): AirbyteMessage {
  if (message.type !== "STATE" || !message.state.stream) return message;
  const descriptor = { ...message.state.stream.stream_descriptor, namespace };
  return {
    ...message,
    state: { ...message.state, stream: { ...message.state.stream, stream_descriptor: descriptor } },
  };
}

/**
 * A destination handle that writes every stream of `namespace` to the destination's default
 * namespace, as Airbyte's "destination default" namespace setting does (Weir's pipelines have no
 * such setting yet): source-mysql names its streams after the source database, and without this
 * destination-mysql would write into that same database. Echoed states get the namespace back.
 * Example: `createInProcessHandle(destinationMysql)` wrapped as `intoDefaultNamespace(handle, "shop")`.
 */
export function intoDefaultNamespace(handle: ConnectorHandle, namespace: string): ConnectorHandle {
  return {
    description: handle.description,
    run(invocation: ConnectorInvocation, options) {
      if (invocation.command !== "write") return handle.run(invocation, options);
      const catalog = {
        ...invocation.catalog,
        streams: invocation.catalog.streams.map((s) => ({ ...s, stream: { ...s.stream, namespace: null } })),
      };
      const source = invocation.input;
      async function* input(): AsyncGenerator<readonly AirbyteMessage[]> {
        for await (const batch of source) yield batch.map(stripped);
      }
      const run = handle.run({ ...invocation, catalog, input: input() }, options);
      async function* messages(): AsyncGenerator<readonly AirbyteMessage[]> {
        for await (const batch of run.messages) yield batch.map((m) => restored(m, namespace));
      }
      return { ...run, messages: messages(), exit: run.exit, kill: (reason) => run.kill(reason) };
    },
  };
}
