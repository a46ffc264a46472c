import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { configError } from "@weir/cdk";

/** One file of the folder, and the stream it is. */
export interface JsonlFile {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly path: string;
}

const EXTENSION = ".jsonl";

/** The inverse of destination-jsonl's percent-encoding of names. */
function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function jsonlFilesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(EXTENSION) && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

/**
 * The `.jsonl` files at the top of `root` (streams without namespace) and one folder down
 * (the folder is the namespace). Hidden files and temp files are not streams.
 * Example: `await findJsonlFiles("/out")` → `[{ name: "users", namespace: undefined, path: "/out/users.jsonl" }]`.
 */
export async function findJsonlFiles(root: string): Promise<JsonlFile[]> {
  const info = await stat(root).catch(() => undefined);
  if (info === undefined) throw configError(`The folder ${root} does not exist.`);
  if (!info.isDirectory()) throw configError(`${root} is not a folder.`);
  const files: JsonlFile[] = [];
  for (const file of await jsonlFilesIn(root)) {
    files.push({
      name: decodeName(file.slice(0, -EXTENSION.length)),
      namespace: undefined,
      path: join(root, file),
    });
  }
  const folders = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
  for (const folder of folders) {
    const namespace = decodeName(folder);
    for (const file of await jsonlFilesIn(join(root, folder))) {
      files.push({
        name: decodeName(file.slice(0, -EXTENSION.length)),
        namespace,
        path: join(root, folder, file),
      });
    }
  }
  return files;
}
