import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { claimField } from "./field-mappers.js";
import { JavascriptWorker } from "./javascript-worker.js";
import type { JavascriptMapperConfig } from "./mapper-config.js";
import { type CompileOutcome, configProblem, type MapperContext } from "./mapper-step.js";
import { missingFieldMessage } from "./stream-schema.js";

const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * `javascript`: a user's module whose function maps each record's data, run in a worker thread
 * on whole batches. Its `fields` option tells how it changes the schema.
 */
export function compileJavascriptMapper(
  context: MapperContext,
  config: JavascriptMapperConfig,
  stream: { readonly name: string; readonly namespace: string | null },
): CompileOutcome {
  const file = isAbsolute(config.module) ? config.module : resolve(context.baseDirectory, config.module);
  const isFile = (() => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  })();
  if (!isFile) return configProblem(context, `module ${config.module} not found (looked for ${file})`);
  for (const [name, node] of Object.entries(config.fields ?? {})) {
    if (node === null) {
      const found = context.schema.find([name]);
      if (!("node" in found))
        return { ok: false, message: missingFieldMessage(context.streamName, context.label, found) };
      context.schema.remove([name]);
      context.produced.delete(name);
    } else {
      const claimed = claimField(context, name);
      if (!claimed.ok) return claimed;
      context.schema.put([name], node);
    }
  }
  const worker = new JavascriptWorker({
    url: pathToFileURL(file).href,
    exportName: config.export ?? "default",
    label: config.module,
    timeoutMs: (config.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    context: { stream: stream.name, namespace: stream.namespace },
  });
  return { ok: true, value: { kind: "batch", run: worker } };
}
