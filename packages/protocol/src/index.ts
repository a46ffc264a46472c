export type { ConnectorCommand, ConnectorInvocation } from "./invocation.js";
export * from "./schemas.js";
