import { configError, defineSource } from "@weir/cdk";
import { describe, expect, it } from "vitest";
import { checkConnection, discoverCatalog, fetchSpec } from "./connector-commands.js";
import { createInProcessHandle } from "./in-process-handle.js";
import { createProcessHandle } from "./process-handle.js";
import { countingSource } from "./test-fixtures/in-process-connectors.js";
import { fixtureSource } from "./test-fixtures/protocol-fixtures.js";

const brokenSource = defineSource({
  name: "source-broken",
  version: "0.0.1",
  spec: { connectionSpecification: { type: "object" } },
  check: async () => ({ ok: false, message: "wrong password" }),
  streams: () => {
    throw configError("the database does not exist", "ENOTFOUND db.example");
  },
});

describe("connector commands", () => {
  it("fetches the spec in-process and from a process", async () => {
    const inProcess = await fetchSpec(createInProcessHandle(countingSource()));
    expect(inProcess).toEqual({
      ok: true,
      value: { connectionSpecification: { type: "object" }, protocol_version: "0.18.0" },
    });
    expect(await fetchSpec(fixtureSource())).toEqual({
      ok: true,
      value: { connectionSpecification: { type: "object" } },
    });
  });

  it("returns a failed connection check as a value", async () => {
    expect(await checkConnection(createInProcessHandle(brokenSource), {})).toEqual({
      ok: true,
      value: { status: "FAILED", message: "wrong password" },
    });
    expect(await checkConnection(fixtureSource(), { fail: true })).toEqual({
      ok: true,
      value: { status: "FAILED", message: "wrong password" },
    });
    expect(await checkConnection(fixtureSource(), {})).toEqual({ ok: true, value: { status: "SUCCEEDED" } });
  });

  it("discovers a catalog, and reports a discover error with its type", async () => {
    const found = await discoverCatalog(fixtureSource(), {});
    expect(found.ok && found.value.streams.map((s) => s.name)).toEqual(["users"]);
    expect(await discoverCatalog(createInProcessHandle(brokenSource), {}, { side: "source" })).toEqual({
      ok: false,
      failure: {
        type: "config_error",
        origin: "source",
        message: "the database does not exist",
        internalMessage: "ENOTFOUND db.example",
      },
    });
  });

  it("classifies a missing command, a silent command and a hung one", async () => {
    expect(
      await fetchSpec(createProcessHandle({ command: ["weir-no-such-tool"] }), { side: "destination" }),
    ).toEqual({
      ok: false,
      failure: {
        type: "config_error",
        origin: "destination",
        message: "command not found: weir-no-such-tool",
      },
    });
    const silent = createProcessHandle({ command: [process.execPath, "-e", ""], description: "silent" });
    expect(await fetchSpec(silent)).toEqual({
      ok: false,
      failure: {
        type: "system_error",
        origin: "source",
        message: "silent answered spec without a SPEC message",
      },
    });
    const failing = createProcessHandle({
      command: [process.execPath, "-e", "console.error('no such table'); process.exit(4)"],
      description: "failing",
    });
    expect(await fetchSpec(failing)).toMatchObject({
      ok: false,
      failure: { type: "system_error", message: "failing exited with code 4: no such table" },
    });
    const hung = createProcessHandle({
      command: [process.execPath, "-e", "setInterval(() => {}, 1000)"],
      description: "hung",
    });
    expect(await fetchSpec(hung, { timeoutMs: 200 })).toEqual({
      ok: false,
      failure: {
        type: "transient_error",
        origin: "source",
        message: "hung did not answer spec within 0.2 s",
      },
    });
  });
});
