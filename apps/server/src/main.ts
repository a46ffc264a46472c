import { runServerCommand } from "./server-command.js";

process.exitCode = await runServerCommand(process.argv.slice(2));
