import type { AirbyteMessage, ConfiguredAirbyteCatalog, StateInput } from "./schemas.js";

/** The five commands of the Airbyte docker contract. */
export type ConnectorCommand = "spec" | "check" | "discover" | "read" | "write";

/**
 * One run of a connector command with its inputs, whatever the transport: in-process, a local
 * process or a container. Example: `{ command: "check", config: { count: 10 } }`.
 */
export type ConnectorInvocation =
  | { readonly command: "spec" }
  | { readonly command: "check"; readonly config: unknown }
  | { readonly command: "discover"; readonly config: unknown }
  | {
      readonly command: "read";
      readonly config: unknown;
      readonly catalog: ConfiguredAirbyteCatalog;
      readonly state?: StateInput | undefined;
    }
  | {
      readonly command: "write";
      readonly config: unknown;
      readonly catalog: ConfiguredAirbyteCatalog;
      /** Messages for the destination's stdin, in batches. */
      readonly input: AsyncIterable<readonly AirbyteMessage[]>;
    };
