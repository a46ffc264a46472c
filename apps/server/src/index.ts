export { API_PREFIXES, createServerApp } from "./server-app.js";
export { runServerCommand } from "./server-command.js";
export type { ServerContext } from "./server-context.js";
export { startWeirServer, type WeirServer, type WeirServerOptions } from "./weir-server.js";
