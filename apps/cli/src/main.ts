import { readFileSync } from "node:fs";
import type { ConnectorCommand } from "@weir/protocol";
import { Command, CommanderError, Option } from "commander";
import { registerCloneCommand } from "./clone-command.js";
import {
  type ConnectorCommandOptions,
  runConnectorCommand,
  runConnectorsList,
} from "./connector-commands.js";
import { registerServerCommand } from "./server-command.js";
import { runStateReset, runStateShow } from "./state-commands.js";
import { runSyncCommand } from "./sync-command.js";
import { registerTestConnectorCommand } from "./test-connector-command.js";

// Wiring only: every command's behaviour lives in its own module.

const USAGE_EXIT_CODE = 2;
const INTERNAL_ERROR_EXIT_CODE = 70;
// After the command is done, handles a connector left open may not keep weir alive for long.
const EXIT_GRACE_MS = 2000;

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

let finished: Promise<number> | undefined;
const run = (work: () => Promise<number> | number): void => {
  finished = Promise.resolve().then(work);
};

const program = new Command("weir")
  .description("Moves data with Airbyte Protocol connectors: built-in ones, or any local program.")
  .version(version)
  .showSuggestionAfterError()
  .exitOverride();

program
  .command("sync")
  .description("run a pipeline once: read the source, write the destination, save the committed state")
  .argument("<pipeline>", "the pipeline file (YAML)")
  .option("--state-dir <dir>", "where state and logs are kept (default: .weir/ beside the pipeline file)")
  .option("--full-refresh", "ignore the saved state: read every stream in full and overwrite it")
  .option("--state <file>", "start from this state instead of the saved one (e.g. a state Airbyte stored)")
  .option("--json", "print only one JSON object on stdout when done")
  .option("--verbose", "show every connector log line, and progress lines when stderr is not a terminal")
  .action(
    (
      pipeline: string,
      options: {
        stateDir?: string;
        fullRefresh: boolean;
        state?: string;
        json: boolean;
        verbose: boolean;
      },
    ) => run(() => runSyncCommand(pipeline, options)),
  );

const state = program.command("state").description("show or reset a pipeline's saved state");
state
  .command("show")
  .description("print the committed state of each stream")
  .argument("<pipeline>", "the pipeline file")
  .option("--state-dir <dir>", "where the state is kept (default: .weir/ beside the pipeline file)")
  .option("--json", "print the state file as it is")
  .action((pipeline: string, options: { stateDir?: string; json?: boolean }) =>
    run(() => runStateShow(pipeline, { stateDir: options.stateDir, json: options.json === true })),
  );
state
  .command("reset")
  .description("forget the state, so the next sync reads from the start (the destination is not changed)")
  .argument("<pipeline>", "the pipeline file")
  .option("--stream <name>", "forget only this stream's state (name, or namespace.name)")
  .option("--state-dir <dir>", "where the state is kept (default: .weir/ beside the pipeline file)")
  .action((pipeline: string, options: { stateDir?: string; stream?: string }) =>
    run(() => runStateReset(pipeline, options)),
  );

const connectorCommands: [ConnectorCommand, string, readonly ("config" | "catalog" | "state")[]][] = [
  ["spec", "print the connector's specification (SPEC)", []],
  ["check", "check that the config can connect (CONNECTION_STATUS)", ["config"]],
  ["discover", "list the source's streams (CATALOG)", ["config"]],
  ["read", "read records from a source (RECORD, STATE…)", ["config", "catalog", "state"]],
  ["write", "write the messages on stdin to a destination; echoes committed STATE", ["config", "catalog"]],
];
const fileHelp = {
  config: "config JSON file",
  catalog: "configured catalog JSON file",
  state: "state JSON file",
};
for (const [name, description, files] of connectorCommands) {
  const command = program
    .command(name)
    .description(`${description}, exactly as the connector's own command does`)
    .argument("[connector]", "a built-in connector name (see `weir connectors`)")
    .addOption(
      new Option("--command <program>", 'a local program that speaks the protocol, e.g. "python3 main.py"'),
    )
    .addOption(
      new Option("--image <image>", "a connector image, run with podman or docker (WEIR_CONTAINER_RUNTIME)"),
    );
  for (const file of files) command.option(`--${file} <file>`, fileHelp[file]);
  command.action((connector: string | undefined, options: ConnectorCommandOptions) =>
    run(() => runConnectorCommand(name, connector, options)),
  );
}

program
  .command("connectors")
  .description("list the built-in connectors with their kind and version")
  .option("--json", "print JSON")
  .action((options: { json?: boolean }) => run(() => runConnectorsList({ json: options.json === true })));

registerTestConnectorCommand(program, run);
registerCloneCommand(program, run);
registerServerCommand(program, run);

function exitWith(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

try {
  await program.parseAsync(process.argv);
  exitWith(finished === undefined ? 0 : await finished);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version end in a "error" too; they are not failures.
    exitWith(error.exitCode === 0 ? 0 : USAGE_EXIT_CODE);
  } else {
    process.stderr.write(
      `weir: internal error (a bug, please report it): ${(error as Error).stack ?? String(error)}\n`,
    );
    exitWith(INTERNAL_ERROR_EXIT_CODE);
  }
}
