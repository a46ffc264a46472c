import { describe, expect, it } from "vitest";
import { resolveCliConnector, resolveConnector } from "./connector-resolution.js";

describe("resolveCliConnector", () => {
  it("resolves a built-in name, a command and an image", () => {
    const builtin = resolveCliConnector({ name: "faker" }, "source");
    expect(builtin.ok && builtin.value.description).toBe("built-in source-faker");
    const command = resolveCliConnector({ command: "python3 /srv/conn/main.py --debug" }, undefined);
    expect(command.ok && command.value.description).toBe('command "python3 main.py --debug"');
    const image = resolveCliConnector({ image: "airbyte/source-faker:6.2.0" }, "source");
    expect(image.ok && image.value.description).toBe("image airbyte/source-faker:6.2.0");
  });

  it("wants exactly one choice, and says what is wrong with it", () => {
    const none = resolveCliConnector({}, "source");
    expect(none.ok === false && none.failure).toEqual({
      type: "config_error",
      origin: "platform",
      message: 'name one connector: a built-in name, --command "<program>" or --image <image>',
    });
    expect(resolveCliConnector({ name: "faker", image: "x:1" }, "source").ok).toBe(false);
    const side = resolveCliConnector({ name: "duckdb" }, "source");
    expect(side.ok === false && side.failure.message).toBe(
      "duckdb is a destination connector (destination-duckdb), it cannot be the source",
    );
    const spaces = resolveCliConnector({ image: "a b" }, "source");
    expect(spaces.ok === false && spaces.failure.message).toBe(
      "--image: must be an image name without spaces",
    );
    const quote = resolveCliConnector({ command: 'python3 "main.py' }, "source");
    expect(quote.ok === false && quote.failure.message).toMatch(/^--command: /);
  });
});

describe("resolveConnector", () => {
  it("turns a pipeline's image: into a container handle", () => {
    const ref = {
      type: "image" as const,
      image: "localhost/x:1",
      env: { A: "1" },
      memory: "1g",
      cpus: 2,
      network: "none",
      config: {},
    };
    const resolved = resolveConnector(ref, "destination", "p.yaml");
    expect(resolved.ok && resolved.value.description).toBe("image localhost/x:1");
  });
});
