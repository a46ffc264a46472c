import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import {
  chmod,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ContainerRuntime, findContainerRuntime, findProgram } from "../container-runtime.js";
import { SHELL_CONNECTOR } from "./shell-connector.js";

const run = promisify(execFile);

/** The images the container tests run, built locally (no registry is reachable on CI). */
export interface TestImages {
  readonly runtime: ContainerRuntime;
  /** busybox + the shell connector (see shell-connector.ts) as its entrypoint, running as root. */
  readonly shell: string;
  /** The same, running as user `airbyte` (uid 1000), as Airbyte's own images do. */
  readonly shellAsUser: string;
  /** busybox alone, without an entrypoint: `IMAGE sh -c …` runs anything, `IMAGE spec` cannot start. */
  readonly bare: string;
  /** This machine's node binary and the libraries it needs; entrypoint `node`. */
  readonly node: string;
  /** The node image plus the built-in source-faker and what it imports; entrypoint its bin. */
  readonly sourceFaker: string;
}

/** The images, or why container tests cannot run on this machine. */
export type ContainerTestSetup =
  | { readonly ok: true; readonly images: TestImages }
  | {
      readonly ok: false;
      readonly reason: string;
    };

/** Set on CI, where a machine that cannot run the container tests is a failure, not a skip. */
export const REQUIRE_CONTAINERS_ENV = "WEIR_REQUIRE_CONTAINERS";

const BUSYBOX = "/bin/busybox";
const PASSWD = "root:x:0:0:root:/root:/bin/sh\nairbyte:x:1000:1000:airbyte:/home/airbyte:/bin/sh\n";
const GROUP = "root:x:0:\nairbyte:x:1000:\n";

const hash = (...parts: (string | Buffer)[]): string => {
  const digest = createHash("sha256");
  for (const part of parts) digest.update(part);
  return digest.digest("hex").slice(0, 12);
};

async function imageExists(runtime: ContainerRuntime, image: string): Promise<boolean> {
  return run(runtime.program, ["image", "inspect", "--format", "{{.Id}}", image]).then(
    () => true,
    () => false,
  );
}

/** Removes the older builds of an image (other tags of its repository); one in use stays. */
async function removeOlderBuilds(runtime: ContainerRuntime, image: string): Promise<void> {
  const repository = image.slice(0, image.lastIndexOf(":"));
  const { stdout } = await run(runtime.program, [
    "images",
    "--format",
    "{{.Repository}}:{{.Tag}}",
    repository,
  ]);
  const older = stdout.split("\n").filter((name) => name.startsWith(`${repository}:`) && name !== image);
  for (const name of older) await run(runtime.program, ["rmi", name]).catch(() => undefined);
}

/** Imports a tar of a root file system as an image; `tarArgs` say what goes in it. */
async function importImage(
  runtime: ContainerRuntime,
  image: string,
  tarArgs: readonly string[],
  changes: readonly string[],
): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), "weir-image-"));
  try {
    const tar = path.join(folder, "rootfs.tar");
    await run("tar", ["-cf", tar, "--owner=0", "--group=0", ...tarArgs]);
    const changeArgs = changes.flatMap((change) => ["--change", change]);
    await run(runtime.program, ["import", ...changeArgs, tar, image], { maxBuffer: 16 * 1024 * 1024 });
    await removeOlderBuilds(runtime, image);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

type ShellImages = Pick<TestImages, "shell" | "shellAsUser" | "bare">;

async function buildShellImages(runtime: ContainerRuntime): Promise<ShellImages> {
  const busybox = await readFile(BUSYBOX);
  const tag = hash(busybox, SHELL_CONNECTOR, PASSWD);
  const images = {
    shell: `localhost/weir-test-shell:${tag}`,
    shellAsUser: `localhost/weir-test-shell-user:${tag}`,
    bare: `localhost/weir-test-busybox:${tag}`,
  };
  const present = await Promise.all(Object.values(images).map((image) => imageExists(runtime, image)));
  if (present.every(Boolean)) return images;
  const root = await mkdtemp(path.join(tmpdir(), "weir-rootfs-"));
  try {
    await mkdir(path.join(root, "bin"));
    await mkdir(path.join(root, "etc"));
    await mkdir(path.join(root, "tmp"));
    await chmod(path.join(root, "tmp"), 0o1777);
    await writeFile(path.join(root, "bin", "busybox"), busybox, { mode: 0o755 });
    const { stdout } = await run(BUSYBOX, ["--list"]);
    for (const applet of stdout.split("\n")) {
      if (applet !== "" && applet !== "busybox") await symlink("busybox", path.join(root, "bin", applet));
    }
    await writeFile(path.join(root, "connector.sh"), SHELL_CONNECTOR, { mode: 0o755 });
    await writeFile(path.join(root, "etc", "passwd"), PASSWD);
    await writeFile(path.join(root, "etc", "group"), GROUP);
    const connector = ['ENTRYPOINT ["/bin/sh", "/connector.sh"]', "ENV PATH=/bin"];
    await importImage(runtime, images.shell, ["-C", root, "."], connector);
    await importImage(runtime, images.shellAsUser, ["-C", root, "."], [...connector, "USER airbyte"]);
    await importImage(runtime, images.bare, ["-C", root, "."], ["ENV PATH=/bin"]);
    return images;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function buildNodeImage(runtime: ContainerRuntime): Promise<string> {
  const node = process.execPath;
  const { stdout } = await run("ldd", [node]);
  // "libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)"
  const libraries = [...stdout.matchAll(/(\/\S+) \(0x/g)].map((match) => match[1] as string);
  const image = `localhost/weir-test-node:${hash(node, process.version, ...libraries)}`;
  if (await imageExists(runtime, image)) return image;
  const extras = await mkdtemp(path.join(tmpdir(), "weir-rootfs-"));
  try {
    await mkdir(path.join(extras, "etc"));
    await mkdir(path.join(extras, "tmp"));
    await chmod(path.join(extras, "tmp"), 0o1777);
    await writeFile(path.join(extras, "etc", "passwd"), PASSWD);
    await writeFile(path.join(extras, "etc", "group"), GROUP);
    // The binary and its libraries go in at the paths they have here; -h stores what links point to.
    const fromRoot = [node, ...libraries].map((file) => file.slice(1));
    await importImage(
      runtime,
      image,
      ["-C", extras, ".", "-h", "-C", "/", ...fromRoot],
      [`ENTRYPOINT ["${node}"]`],
    );
    return image;
  } finally {
    await rm(extras, { recursive: true, force: true });
  }
}

/** A package's folder as node would find it from `from`: in the nearest node_modules up the tree. */
function packageFolder(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${name} from ${from}`);
  }
}

interface PackageJson {
  readonly name: string;
  readonly bin?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
}

/**
 * A package and everything it imports, flattened into one node_modules as npm hoists them:
 * name → folder. Workspace packages (outside any node_modules) bring only what they publish.
 */
async function dependencyClosure(name: string, from: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const visit = async (wanted: string, parent: string) => {
    if (found.has(wanted)) return;
    const folder = await realpath(packageFolder(wanted, parent));
    found.set(wanted, folder);
    const manifest = JSON.parse(await readFile(path.join(folder, "package.json"), "utf8")) as PackageJson;
    for (const dependency of Object.keys(manifest.dependencies ?? {})) await visit(dependency, folder);
  };
  await visit(name, from);
  return found;
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The parts of a package that go into an image: what npm would publish, roughly. */
async function publishedFiles(folder: string): Promise<string[]> {
  if (folder.split(path.sep).includes("node_modules")) return filesUnder(folder);
  const parts = ["package.json", "bin", "dist"]
    .map((part) => path.join(folder, part))
    .filter((p) => existsSync(p));
  const nested = await Promise.all(parts.map((part) => (part.endsWith(".json") ? [part] : filesUnder(part))));
  return nested.flat().filter((file) => !/\.test\.(js|d\.ts)(\.map)?$/.test(file));
}

/**
 * The node image with a built-in connector installed under /app, built as a layer on top
 * (`FROM` the node image) so that only the connector's files are new.
 */
async function buildConnectorImage(
  runtime: ContainerRuntime,
  nodeImage: string,
  connector: string,
): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const closure = await dependencyClosure(connector, here);
  const files: [string, string][] = [];
  for (const [name, folder] of closure) {
    for (const file of await publishedFiles(folder)) {
      files.push([file, path.join("node_modules", name, path.relative(folder, file))]);
    }
  }
  const digest = createHash("sha256").update(nodeImage);
  for (const [file, target] of files) digest.update(target).update(await readFile(file));
  const image = `localhost/weir-test-${connector.replace(/^@weir\//, "")}:${digest.digest("hex").slice(0, 12)}`;
  if (await imageExists(runtime, image)) return image;
  const context = await mkdtemp(path.join(tmpdir(), "weir-image-"));
  try {
    for (const [file, target] of files) {
      await mkdir(path.dirname(path.join(context, "app", target)), { recursive: true });
      await cp(file, path.join(context, "app", target));
    }
    const manifest = JSON.parse(
      await readFile(path.join(closure.get(connector) ?? "", "package.json"), "utf8"),
    ) as PackageJson;
    const bin = Object.values(manifest.bin ?? {})[0];
    if (bin === undefined) throw new Error(`${connector} has no bin`);
    const entrypoint = [process.execPath, path.posix.join("/app/node_modules", connector, bin)];
    await writeFile(
      path.join(context, "Containerfile"),
      `FROM ${nodeImage}\nCOPY app /app\nENTRYPOINT ${JSON.stringify(entrypoint)}\n`,
    );
    await run(
      runtime.program,
      ["build", "--pull=never", "-q", "-t", image, "-f", path.join(context, "Containerfile"), context],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    await removeOlderBuilds(runtime, image);
    return image;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Checks that the runtime runs a container here, not only that it is installed. */
async function smokeTest(runtime: ContainerRuntime, image: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(runtime.program, ["run", "--rm", "--pull", "never", image, "spec"]);
    return stdout.includes('"SPEC"') ? undefined : `the test image printed ${JSON.stringify(stdout)}`;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    return `${runtime.kind} cannot run a container here: ${stderr.trim().split("\n").pop()} (see .ci/run for the settings this machine needs)`;
  }
}

async function setUp(): Promise<ContainerTestSetup> {
  const runtime = await findContainerRuntime();
  if (!runtime.ok) return { ok: false, reason: runtime.failure.message };
  // The image holds busybox alone: a busybox that needs shared libraries could not start there.
  const linked = await run("ldd", [BUSYBOX]).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`,
  );
  if ((await findProgram(BUSYBOX)) === undefined || !linked.includes("not a dynamic executable")) {
    return { ok: false, reason: `no static ${BUSYBOX} (apt-get install busybox-static)` };
  }
  if ((await findProgram("tar")) === undefined) return { ok: false, reason: "tar not found" };
  try {
    const shellImages = await buildShellImages(runtime.value);
    const broken = await smokeTest(runtime.value, shellImages.shell);
    if (broken !== undefined) return { ok: false, reason: broken };
    const node = await buildNodeImage(runtime.value);
    const sourceFaker = await buildConnectorImage(runtime.value, node, "@weir/source-faker");
    return { ok: true, images: { runtime: runtime.value, ...shellImages, node, sourceFaker } };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    return { ok: false, reason: `building the test images failed: ${stderr?.trim() || String(error)}` };
  }
}

let setup: Promise<ContainerTestSetup> | undefined;

/**
 * Builds the container test images once per machine (tags are content hashes, so a build is
 * reused until busybox, the script or node change) and says whether container tests can run.
 * When they cannot and `WEIR_REQUIRE_CONTAINERS=1` (CI), it throws instead.
 * Example: `const setup = await setUpContainerTests(); describe.skipIf(!setup.ok)(…)`.
 */
export async function setUpContainerTests(): Promise<ContainerTestSetup> {
  setup ??= setUp();
  const result = await setup;
  if (!result.ok && process.env[REQUIRE_CONTAINERS_ENV] === "1") {
    throw new Error(`container tests cannot run (${REQUIRE_CONTAINERS_ENV}=1): ${result.reason}`);
  }
  return result;
}

/** Names of containers whose name starts with `prefix`, running or not. */
export async function containersNamed(runtime: ContainerRuntime, prefix: string): Promise<string[]> {
  const { stdout } = await run(runtime.program, [
    "ps",
    "-a",
    "--filter",
    `name=^${prefix}`,
    "--format",
    "{{.Names}}",
  ]);
  return stdout.split("\n").filter((name) => name !== "");
}
