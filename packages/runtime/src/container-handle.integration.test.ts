import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from "@weir/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkConnection, fetchSpec } from "./connector-commands.js";
import type { ConnectorRun } from "./connector-handle.js";
import { type ContainerHandleOptions, createContainerHandle } from "./container-handle.js";
import { CONTAINER_RUNTIME_ENV, findContainerRuntime, findProgram } from "./container-runtime.js";
import { exitFailure } from "./failure.js";
import { describeHandleConformance } from "./handle-conformance.js";
import { runSync } from "./sync-driver.js";
import { containersNamed, setUpContainerTests } from "./testing/test-images.js";

const setup = await setUpContainerTests();
const skipReason = setup.ok ? undefined : `no container runtime works here: ${setup.reason}`;
if (skipReason !== undefined) console.warn(`container handle tests skipped: ${skipReason}`);

const catalog: ConfiguredAirbyteCatalog = {
  streams: [
    {
      stream: {
        name: "users",
        json_schema: { type: "object" },
        supported_sync_modes: ["full_refresh", "incremental"],
      },
      sync_mode: "incremental",
      destination_sync_mode: "append",
    },
  ],
};

async function drain(run: ConnectorRun): Promise<AirbyteMessage[]> {
  const out: AirbyteMessage[] = [];
  for await (const batch of run.messages) out.push(...batch);
  return out;
}

const docker = await findProgram("docker");
const dockerDead =
  setup.ok &&
  docker !== undefined &&
  (await promisify(execFile)(docker, ["version"]).then(
    () => false,
    () => true,
  ));

// Every container of this file is named weir-it-<pid>-…, so the checks for leftovers see only
// this file's containers, whatever else runs on the machine.
const prefix = `weir-it-${process.pid}`;

function expectNoContainersLeft(): Promise<void> {
  if (!setup.ok) throw new Error("unreachable");
  return containersNamed(setup.images.runtime, prefix).then((names) => expect(names).toEqual([]));
}

if (setup.ok) {
  const { images } = setup;
  const fixtures = fileURLToPath(new URL("../src/test-fixtures", import.meta.url));
  // The process handle's fixture connectors, run by node inside a container: the same
  // connectors behind another transport must give the same results.
  const fixture = (script: string, config: Record<string, unknown>) => ({
    handle: createContainerHandle({
      image: images.node,
      args: [path.join(fixtures, script)],
      volumes: [{ source: fixtures, target: fixtures, readOnly: true }],
      namePrefix: prefix,
      killGraceMs: 2000,
    }),
    config,
  });
  describeHandleConformance("container handle", () => ({
    source: (behaviour) =>
      fixture(
        "protocol-source.mjs",
        {
          good: { records: 10 },
          hang: { behaviour: "hang", records: 3 },
          fail: { behaviour: "exit-3", records: 2 },
        }[behaviour],
      ),
    destination: (behaviour) =>
      fixture("protocol-destination.mjs", behaviour === "good" ? { echo: "all" } : { dieAfterRecords: 10 }),
    noisySource: () => fixture("protocol-source.mjs", { behaviour: "garbage" }),
    expectNothingLeft: expectNoContainersLeft,
  }));
}

describe.skipIf(!setup.ok)(`container handle${skipReason === undefined ? "" : ` (${skipReason})`}`, () => {
  const images = setup.ok ? setup.images : undefined;
  const shell = (options: Partial<ContainerHandleOptions> = {}) =>
    createContainerHandle({ image: images?.shell ?? "", namePrefix: prefix, killGraceMs: 2000, ...options });
  const report = (messages: readonly AirbyteMessage[]): Record<string, string> => {
    const line = messages.find((m) => m.type === "LOG" && m.log.message.startsWith("report|"));
    if (line?.type !== "LOG") throw new Error(`no report in ${JSON.stringify(messages)}`);
    const fields = line.log.message.split("|").slice(1);
    return Object.fromEntries(
      fields.map((field) => [field.slice(0, field.indexOf("=")), field.slice(field.indexOf("=") + 1)]),
    );
  };
  let temp: string;
  const savedTmp = process.env.TMPDIR;

  beforeAll(async () => {
    // The run's files go to a folder of this test's own, to check that nothing stays there.
    temp = await mkdtemp(path.join(tmpdir(), "weir-it-tmp-"));
    process.env.TMPDIR = temp;
  });
  afterAll(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    await rm(temp, { recursive: true, force: true });
  });
  const leftovers = async () => (await readdir(temp)).filter((name) => name.startsWith("weir-"));

  it("runs the image's entrypoint with private files in a read-only /data, and removes them after", async () => {
    const config = { token: "s3cr3t", quote: 'a "b" \\ c' };
    const state = [
      {
        type: "STREAM" as const,
        stream: { stream_descriptor: { name: "users" }, stream_state: { cursor: 4 } },
      },
    ];
    const run = shell({ env: { BEHAVIOUR: "report", GREETING: "hello, world = 1" } }).run({
      command: "read",
      config,
      catalog,
      state,
    });
    const messages = await drain(run);
    expect(await run.exit).toEqual({ code: 0, signal: null, stderrTail: [] });
    const seen = report(messages);
    expect(seen).toMatchObject({
      uid: "0",
      dir: "/data",
      readOnly: "yes",
      dirMode: "700",
      configMode: "600",
    });
    expect(JSON.parse(seen.config ?? "")).toEqual(config);
    expect(seen.greeting).toBe("hello, world = 1");
    expect(messages.filter((m) => m.type === "RECORD")).toHaveLength(10);
    expect(await leftovers()).toEqual([]);
    await expectNoContainersLeft();
  });

  it("hands the files to an image that runs as another user (uid 1000), and still removes them", async () => {
    const run = shell({ image: images?.shellAsUser ?? "", env: { BEHAVIOUR: "report" } }).run({
      command: "read",
      config: { n: 1 },
      catalog,
    });
    const seen = report(await drain(run));
    expect((await run.exit).code).toBe(0);
    expect(seen).toMatchObject({ uid: "1000", dirMode: "700", configMode: "600" });
    expect(JSON.parse(seen.config ?? "")).toEqual({ n: 1 });
    expect(await leftovers()).toEqual([]);
  });

  it("applies the memory and CPU limits and the network mode", async () => {
    const run = shell({ env: { BEHAVIOUR: "report" }, memory: "64m", cpus: 0.5, network: "none" }).run({
      command: "read",
      config: {},
      catalog,
    });
    const seen = report(await drain(run));
    expect(seen.mem).toBe(String(64 * 1024 * 1024));
    expect(seen.cpu?.split(" ")[0]).toBe("50000");
    expect(seen.net).toBe("lo,");
  });

  it("explains a container killed for going over its memory limit, and leaves no file behind", async () => {
    // podman's conmon writes a file "oom" into its working folder then.
    const stray = path.join(process.cwd(), "oom");
    const strayBefore = existsSync(stray);
    const run = shell({ env: { BEHAVIOUR: "oom" }, memory: "16m" }).run({ command: "spec" });
    await drain(run);
    expect((await run.exit).failure).toEqual({
      type: "system_error",
      message: `image ${images?.shell} was killed (exit code 137), most likely for going over its memory limit of 16m`,
    });
    if (!strayBefore) expect(existsSync(stray)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it("fails with a config_error naming an image that is absent and may not be pulled", async () => {
    const run = shell({ image: "localhost/weir-test-absent:1", pull: "never" }).run({ command: "spec" });
    expect(await drain(run)).toEqual([]);
    const exit = await run.exit;
    expect(exit.failure?.type).toBe("config_error");
    expect(exit.failure?.message).toBe(
      "image localhost/weir-test-absent:1 is not present locally, and pulling is off",
    );
  });

  it("fails with a config_error naming an image that is absent and cannot be pulled", async () => {
    // No registry answers on CI; where one does, it has no such image either.
    const run = shell({ image: "weir-test-absent/no-such-image:0.0.0" }).run({ command: "spec" });
    await drain(run);
    const exit = await run.exit;
    expect(exit.failure?.type).toBe("config_error");
    expect(exit.failure?.message).toMatch(
      /^image weir-test-absent\/no-such-image:0\.0\.0 is not present locally and could not be pulled: /,
    );
    expect(exit.failure?.internalMessage).not.toBe("");
    await expectNoContainersLeft();
  });

  it("fails with a config_error when the container runtime is missing, chosen or found", async () => {
    const chosen = await drain(shell({ runtime: "weir-no-such-runtime" }).run({ command: "spec" }));
    expect(chosen).toEqual([]);
    const exit = await shell({ runtime: "weir-no-such-runtime" }).run({ command: "spec" }).exit;
    expect(exit.failure).toEqual({
      type: "config_error",
      message: `container runtime "weir-no-such-runtime" not found on PATH: install it, or set ${CONTAINER_RUNTIME_ENV} to podman or docker`,
    });

    const savedPath = process.env.PATH;
    const savedRuntime = process.env[CONTAINER_RUNTIME_ENV];
    try {
      process.env[CONTAINER_RUNTIME_ENV] = "/nonexistent/podman";
      const fromEnv = await shell().run({ command: "spec" }).exit;
      expect(fromEnv.failure?.message).toBe(
        `container runtime "/nonexistent/podman" not found: install it, or set ${CONTAINER_RUNTIME_ENV} to podman or docker`,
      );
      delete process.env[CONTAINER_RUNTIME_ENV];
      process.env.PATH = temp;
      const none = await shell().run({ command: "spec" }).exit;
      expect(none.failure).toEqual({
        type: "config_error",
        message: "no container runtime found: install podman or docker, or set WEIR_CONTAINER_RUNTIME",
      });
    } finally {
      process.env.PATH = savedPath;
      if (savedRuntime === undefined) delete process.env[CONTAINER_RUNTIME_ENV];
      else process.env[CONTAINER_RUNTIME_ENV] = savedRuntime;
    }
  });

  // CI machines have a docker CLI without an engine: detection must pass over it to podman.
  it.runIf(dockerDead)(
    "passes over a docker CLI that cannot reach an engine, unless it is asked for",
    async () => {
      expect(await findContainerRuntime()).toMatchObject({ ok: true, value: { kind: "podman" } });
      const exit = await shell({ runtime: "docker" }).run({ command: "spec" }).exit;
      expect(exit.failure?.type).toBe("config_error");
      expect(exit.failure?.message).toMatch(
        /^docker cannot reach its engine \(.+\): start the Docker engine, install podman/,
      );
    },
  );

  it("reports a connector that writes only to stderr: the lines are logged and quoted in the failure", async () => {
    const handle = shell({ env: { BEHAVIOUR: "stderr-only" } });
    const run = handle.run({ command: "read", config: {}, catalog });
    const messages = await drain(run);
    expect(messages.map((m) => (m.type === "LOG" ? m.log.message : m.type))).toEqual([
      "connector: cannot reach api.example.com",
      "connector: giving up",
    ]);
    const exit = await run.exit;
    expect(exitFailure(exit, "source", handle.description)).toEqual({
      type: "system_error",
      origin: "source",
      message: `${handle.description} exited with code 1: connector: cannot reach api.example.com\nconnector: giving up`,
      internalMessage: "connector: cannot reach api.example.com\nconnector: giving up",
    });
    await expectNoContainersLeft();
  });

  it("reports a connector that exits 0 without any output", async () => {
    const handle = shell({ env: { BEHAVIOUR: "silent" } });
    expect(await fetchSpec(handle)).toEqual({
      ok: false,
      failure: {
        type: "system_error",
        origin: "source",
        message: `${handle.description} answered spec without a SPEC message`,
      },
    });
    const check = await checkConnection(handle, {}, { side: "destination" });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.failure).toMatchObject({ type: "system_error", origin: "destination" });
    await expectNoContainersLeft();
  });

  it("reports an image whose entrypoint cannot run the protocol's commands", async () => {
    const run = shell({ image: images?.bare ?? "" }).run({ command: "spec" });
    await drain(run);
    const exit = await run.exit;
    expect(exit.failure?.type).toBe("config_error");
    expect(exit.failure?.message).toMatch(
      /^image localhost\/weir-test-busybox:\w+ could not start its entrypoint \(.*\): .*(No such file|not found)/,
    );
  });

  it("fails a sync whose destination container exits before reading all its input, leaving no container", async () => {
    const result = await runSync({
      source: { handle: shell({ env: { RECORDS: "3000" } }), config: {} },
      destination: { handle: shell({ env: { BEHAVIOUR: "exit-early", EXIT_AFTER: "10" } }), config: {} },
      catalog,
    });
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({
      type: "system_error",
      origin: "destination",
      message: `image ${images?.shell} exited before reading all of its input`,
    });
    await expectNoContainersLeft();
  });

  it("cancelling a sync stops both containers and leaves none behind", async () => {
    const controller = new AbortController();
    const result = await runSync({
      source: { handle: shell({ env: { BEHAVIOUR: "hang", RECORDS: "20" } }), config: {} },
      destination: { handle: shell(), config: {} },
      catalog,
      signal: controller.signal,
      cancelGraceMs: 5000,
      onStateCommitted: () => controller.abort(),
    });
    expect(result.status).toBe("cancelled");
    expect(result.streams[0]?.recordsCommitted).toBeGreaterThan(0);
    await expectNoContainersLeft();
  });

  it("removes its containers when the process running them exits in the middle of a run", async () => {
    const index = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `
      import { createContainerHandle } from ${JSON.stringify(index)};
      const handle = createContainerHandle(${JSON.stringify({ image: images?.shell, namePrefix: prefix, env: { BEHAVIOUR: "hang" } })});
      const run = handle.run({ command: "read", config: {}, catalog: ${JSON.stringify(catalog)} });
      for await (const batch of run.messages) if (batch.some((m) => m.type === "RECORD")) process.exit(0);
    `;
    // The child inherits TMPDIR: its run's files (the config) must not outlive it either.
    await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]);
    await expectNoContainersLeft();
    expect(await leftovers()).toEqual([]);
  });
});
