// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings under test are ${VAR} references, not templates.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadPipelineFile, parsePipelineText } from "./pipeline-file.js";
import { removeTempFolders, tempFolder } from "./weir-test-process.js";

afterAll(removeTempFolders);

const parse = (text: string, env: Record<string, string> = {}) =>
  parsePipelineText(text, { file: "pipeline.yaml", absolute: "/work/p/pipeline.yaml", env });

const messageOf = (result: ReturnType<typeof parse>): string => {
  if (result.ok) throw new Error("expected a failure");
  expect(result.failure.type).toBe("config_error");
  return result.failure.message;
};

describe("parsePipelineText", () => {
  it("loads the documented example with defaults filled in", () => {
    const result = parse(
      [
        "source:",
        "  connector: faker",
        "  config: { count: 1000, seed: 42 }",
        "destination:",
        "  connector: duckdb",
        "  config: { destination_path: ./quickstart.duckdb }",
        "streams:",
        "  - name: users",
        "    sync_mode: incremental",
        "    destination_sync_mode: append_dedup",
        "    cursor_field: [updated_at]",
        "    primary_key: [[id]]",
        "  - name: products",
        "    cursor_field: updated_at",
        "    primary_key: [id, sku]",
      ].join("\n"),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        path: "/work/p/pipeline.yaml",
        displayPath: "pipeline.yaml",
        dir: "/work/p",
        name: "pipeline",
        source: { type: "builtin", name: "faker", config: { count: 1000, seed: 42 } },
        destination: { type: "builtin", name: "duckdb", config: { destination_path: "./quickstart.duckdb" } },
        streams: [
          {
            name: "users",
            namespace: undefined,
            syncMode: "incremental",
            destinationSyncMode: "append_dedup",
            cursorField: ["updated_at"],
            primaryKey: [["id"]],
            mappers: [],
            validation: "off",
          },
          {
            name: "products",
            namespace: undefined,
            syncMode: undefined,
            destinationSyncMode: undefined,
            cursorField: ["updated_at"],
            primaryKey: [["id"], ["sku"]],
            mappers: [],
            validation: "off",
          },
        ],
        heartbeatTimeoutMs: 600_000,
      },
    });
  });

  it("resolves commands: a string split like a shell, cwd relative to the file, env as strings", () => {
    const result = parse(
      [
        "name: nightly",
        "heartbeat_timeout_seconds: 5",
        "source:",
        '  command: python3 "my main.py"',
        "  cwd: ../conn",
        "  env: { DEBUG: 1, TOKEN: '${TOKEN}' }",
        "destination:",
        "  command: [node, dest.mjs]",
      ].join("\n"),
      { TOKEN: "t0k" },
    );
    expect(result.ok && result.value).toMatchObject({
      name: "nightly",
      heartbeatTimeoutMs: 5000,
      streams: undefined,
      source: {
        type: "command",
        argv: ["python3", "my main.py"],
        cwd: "/work/conn",
        env: { DEBUG: "1", TOKEN: "t0k" },
      },
      destination: { type: "command", argv: ["node", "dest.mjs"], cwd: "/work/p", env: {}, config: {} },
    });
  });

  it("names a misspelt key, its path and the likely intended key", () => {
    const message = messageOf(parse("source:\n  conector: faker\ndestination:\n  connector: duckdb\n"));
    expect(message).toBe('pipeline.yaml: source.conector: unknown key (did you mean "connector"?) (line 2)');
    expect(messageOf(parse("source: {}\ndestination: {connector: duckdb}\n"))).toBe(
      "pipeline.yaml: source: missing connector: (a built-in), command: (a local program) or image: (a container image)",
    );
  });

  it("checks each mapper: its type, its options, with hints", () => {
    const head =
      "source: {connector: faker}\ndestination: {connector: duckdb}\nstreams:\n  - name: users\n    mappers:\n";
    expect(messageOf(parse(`${head}      - {type: hash, field: email, kye: x}\n`))).toContain(
      'pipeline.yaml: streams[0].mappers[0].kye: unknown key (did you mean "key"?) (line 6)',
    );
    expect(messageOf(parse(`${head}      - {type: scramble, field: email}\n`))).toContain(
      'pipeline.yaml: streams[0].mappers[0].type: unknown mapper type "scramble": expected one of hash, fake,',
    );
    const loaded = parse(`${head}      - {type: drop, field: blood_type}\n    validation: warn\n`);
    expect(loaded.ok && loaded.value.streams?.[0]).toMatchObject({
      mappers: [{ type: "drop", field: "blood_type" }],
      validation: "warn",
    });
  });

  it("lists allowed keys when nothing is close, and checks stream entries", () => {
    const message = messageOf(
      parse(
        "source: {connector: faker}\ndestination: {connector: duckdb}\nschedule: daily\nstreams:\n  - name: users\n    sync_mod: incremental\n",
      ),
    );
    expect(message).toContain(
      "pipeline.yaml: schedule: unknown key (allowed: name, source, destination, streams, heartbeat_timeout_seconds)",
    );
    expect(message).toContain(
      'pipeline.yaml: streams[0].sync_mod: unknown key (did you mean "sync_mode"?) (line 6)',
    );
  });

  it("explains wrong types and values without echoing what was written", () => {
    const message = messageOf(
      parse(
        [
          "source: {connector: faker, config: hunter2}",
          "destination: {connector: duckdb}",
          "heartbeat_timeout_seconds: -1",
          "streams:",
          "  - name: users",
          "    sync_mode: incremntal",
          "  - sync_mode: full_refresh",
        ].join("\n"),
      ),
    );
    expect(message).toContain("pipeline.yaml: source.config: must be a mapping, not string (line 1)");
    expect(message).toContain("pipeline.yaml: heartbeat_timeout_seconds: must be greater than 0");
    expect(message).toContain(
      'pipeline.yaml: streams[0].sync_mode: must be one of full_refresh, incremental (did you mean "incremental"?)',
    );
    expect(message).toContain("pipeline.yaml: streams[1].name: missing (required)");
    expect(message).not.toContain("hunter2");
  });

  it("refuses connector and command together, cwd with a built-in, and duplicate streams", () => {
    const message = messageOf(
      parse(
        [
          "source: {connector: faker, command: [x]}",
          "destination: {connector: duckdb, cwd: here}",
          "streams: [{name: users}, {name: users}]",
        ].join("\n"),
      ),
    );
    expect(message).toContain(
      "source: give one of connector: (a built-in), command: (a local program) or image: (a container image), not connector: and command:",
    );
    expect(message).toContain("destination.cwd: only allowed with command:");
    expect(message).toContain("streams[1]: stream users is listed twice");
  });

  it("loads an image with its environment and limits", () => {
    const result = parse(
      [
        "source:",
        "  image: airbyte/source-faker:6.2.0",
        "  env: { LOG_LEVEL: debug, WORKERS: 2 }",
        "  memory: 512m",
        "  cpus: 1.5",
        "  network: none",
        "  config: { count: 10 }",
        "destination: {image: localhost/dest:1}",
      ].join("\n"),
    );
    expect(result.ok && result.value.source).toEqual({
      type: "image",
      image: "airbyte/source-faker:6.2.0",
      env: { LOG_LEVEL: "debug", WORKERS: "2" },
      memory: "512m",
      cpus: 1.5,
      network: "none",
      config: { count: 10 },
    });
    expect(result.ok && result.value.destination).toEqual({
      type: "image",
      image: "localhost/dest:1",
      env: {},
      memory: undefined,
      cpus: undefined,
      network: undefined,
      config: {},
    });
  });

  it("refuses container settings that are not an image's, and bad limits", () => {
    const message = messageOf(
      parse(
        [
          "source: {image: 'a b', cwd: here, cpus: 0}",
          "destination: {connector: duckdb, memory: 1g, network: none, image: x/y:1}",
        ].join("\n"),
      ),
    );
    expect(message).toContain("pipeline.yaml: source.image: must be an image name without spaces");
    expect(message).toContain("pipeline.yaml: source.cpus: must be greater than 0");
    const limits = messageOf(
      parse("source: {image: x, memory: lots}\ndestination: {command: cat, network: none}\n"),
    );
    expect(limits).toContain("pipeline.yaml: source.memory: must be a size such as 512m or 2g");
    expect(messageOf(parse("source: {image: x, env: {A B: 1}}\ndestination: {command: cat}\n"))).toBe(
      "pipeline.yaml: source.env.A B: must be a variable name (no spaces, no =) (line 1)",
    );
    const owners = messageOf(
      parse('source: {image: x, cwd: here, env: {A: "x\\ny"}}\ndestination: {command: cat, memory: 1g}\n'),
    );
    expect(owners).toContain("pipeline.yaml: source.cwd: only allowed with command:");
    expect(owners).toContain("pipeline.yaml: source.env.A: a container cannot get a value with a line break");
    expect(owners).toContain("pipeline.yaml: destination.memory: only allowed with image:");
    const both = messageOf(
      parse("source: {image: x, command: cat}\ndestination: {connector: duckdb, memory: 1g}\n"),
    );
    expect(both).toContain(
      "source: give one of connector: (a built-in), command: (a local program) or image: (a container image), not command: and image:",
    );
    expect(both).toContain("destination.memory: only allowed with image:");
  });

  it("names an unset variable and where it is used", () => {
    const message = messageOf(
      parse(
        "source:\n  connector: faker\n  config:\n    password: ${PGPASSWORD}\ndestination: {connector: duckdb}\n",
      ),
    );
    expect(message).toBe(
      "pipeline.yaml: source.config.password: environment variable PGPASSWORD is not set (set it, or give a default: ${PGPASSWORD:-value}) (line 4)",
    );
  });

  it("reports YAML syntax errors with their position, and an empty file", () => {
    expect(messageOf(parse("source: [\n"))).toMatch(
      /^pipeline\.yaml: not valid YAML at line \d+, column \d+: /,
    );
    expect(messageOf(parse("source: 1\nsource: 2\n"))).toMatch(/not valid YAML at line 2/);
    expect(messageOf(parse(""))).toBe("pipeline.yaml: expected a mapping with source: and destination:");
  });

  it("rejects a bad command line", () => {
    expect(messageOf(parse('source: {command: "python3 \'x"}\ndestination: {connector: d}\n'))).toBe(
      "pipeline.yaml: source.command: unterminated single quote",
    );
  });
});

describe("loadPipelineFile", () => {
  it("reads a file and says when it is missing", async () => {
    const dir = await tempFolder();
    await writeFile(
      path.join(dir, "p.yml"),
      "source: {connector: faker}\ndestination: {connector: duckdb}\n",
    );
    const loaded = await loadPipelineFile("p.yml", { cwd: dir, env: {} });
    expect(loaded.ok && loaded.value).toMatchObject({ name: "p", dir, path: path.join(dir, "p.yml") });
    const missing = await loadPipelineFile("nope.yaml", { cwd: dir });
    expect(missing).toEqual({
      ok: false,
      failure: {
        type: "config_error",
        origin: "pipeline",
        message: "nope.yaml: cannot read the pipeline file: no such file",
      },
    });
  });
});
