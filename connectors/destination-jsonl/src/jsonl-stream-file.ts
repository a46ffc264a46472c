import { randomBytes, randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { ConnectorLogger } from "@weir/cdk";
import type { AirbyteRecordMessage, ConfiguredAirbyteStream } from "@weir/protocol";

/** `append` adds to the file; `overwrite` builds a temp file and renames it over at the end. */
export type FileMode = "append" | "overwrite";

// One write call per this many buffered characters: large writes, bounded memory.
const WRITE_EVERY_CHARS = 4 * 1024 * 1024;
const TAIL_SCAN_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

const TEMP_MARK = ".weir-tmp-";

/** fsync of a folder, so a created or renamed entry survives a crash. */
async function syncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a folder; their rename is durable enough.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EBADF") throw error;
  } finally {
    await handle?.close();
  }
}

/** Cuts a torn last line (a crash in the middle of a write) so appends start on a fresh line. */
async function cutTornTail(handle: FileHandle): Promise<number> {
  const { size } = await handle.stat();
  if (size === 0) return 0;
  const buffer = Buffer.allocUnsafe(TAIL_SCAN_BYTES);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - TAIL_SCAN_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    const last = buffer.lastIndexOf(NEWLINE, bytesRead - 1);
    if (end === size && last === bytesRead - 1) return 0;
    if (last !== -1) {
      const keep = start + last + 1;
      await handle.truncate(keep);
      return size - keep;
    }
    end = start;
  }
  await handle.truncate(0);
  return size;
}

/** Removes temp files a crashed run left beside `finalPath`. */
async function removeStaleTemps(finalPath: string): Promise<void> {
  const prefix = `${basename(finalPath)}${TEMP_MARK}`;
  const folder = dirname(finalPath);
  for (const entry of await readdir(folder)) {
    if (entry.startsWith(prefix)) await unlink(join(folder, entry)).catch(() => {});
  }
}

/**
 * The file of one stream, written as Destinations V2 raw lines:
 * `{"_airbyte_raw_id","_airbyte_extracted_at","_airbyte_meta","_airbyte_generation_id","_airbyte_data"}`.
 * Example: `const f = await JsonlStreamFile.open("/out/users.jsonl", "append", configured, logger)`.
 */
export class JsonlStreamFile {
  private buffer = "";
  private unsynced = false;
  private folderUnsynced: boolean;
  private failed = false;
  private readonly syncId: number | null;
  private readonly plainMeta: string;
  private readonly generationId: number;

  private constructor(
    readonly finalPath: string,
    readonly mode: FileMode,
    private readonly writePath: string,
    private readonly handle: FileHandle,
    configured: ConfiguredAirbyteStream,
    created: boolean,
  ) {
    this.syncId = configured.sync_id ?? null;
    this.generationId = configured.generation_id ?? 0;
    this.plainMeta = JSON.stringify(this.meta([]));
    this.folderUnsynced = created;
  }

  static async open(
    finalPath: string,
    mode: FileMode,
    configured: ConfiguredAirbyteStream,
    logger: ConnectorLogger,
  ): Promise<JsonlStreamFile> {
    await mkdir(dirname(finalPath), { recursive: true });
    await removeStaleTemps(finalPath);
    if (mode === "overwrite") {
      const writePath = `${finalPath}${TEMP_MARK}${process.pid}-${randomBytes(4).toString("hex")}`;
      const handle = await open(writePath, "wx");
      return new JsonlStreamFile(finalPath, mode, writePath, handle, configured, true);
    }
    const handle = await open(finalPath, "a+");
    try {
      const cut = await cutTornTail(handle);
      if (cut > 0) {
        logger.log(
          "WARN",
          `${finalPath} ended in a torn line (${cut} bytes, from an interrupted run); removed it.`,
        );
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JsonlStreamFile(finalPath, mode, finalPath, handle, configured, true);
  }

  private meta(changes: readonly unknown[]): Record<string, unknown> {
    return this.syncId === null ? { changes } : { sync_id: this.syncId, changes };
  }

  /** Buffers one record; true when the buffer is big enough to write. */
  add(record: AirbyteRecordMessage): boolean {
    const changes = record.meta?.changes;
    const meta = changes != null && changes.length > 0 ? JSON.stringify(this.meta(changes)) : this.plainMeta;
    const extractedAt = Number.isFinite(record.emitted_at) ? record.emitted_at : Date.now();
    this.buffer += `{"_airbyte_raw_id":"${randomUUID()}","_airbyte_extracted_at":${extractedAt},"_airbyte_meta":${meta},"_airbyte_generation_id":${this.generationId},"_airbyte_data":${JSON.stringify(record.data)}}\n`;
    return this.buffer.length >= WRITE_EVERY_CHARS;
  }

  /** Hands the buffer to the file in one write. */
  async writeBuffer(): Promise<void> {
    if (this.buffer === "") return;
    const text = this.buffer;
    this.buffer = "";
    try {
      await this.handle.write(text);
      this.unsynced = true;
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** Writes the buffer and fsyncs: everything added so far survives a crash. */
  async sync(): Promise<void> {
    await this.writeBuffer();
    try {
      if (this.unsynced) {
        await this.handle.sync();
        this.unsynced = false;
      }
      if (this.folderUnsynced) {
        await syncDirectory(dirname(this.writePath));
        this.folderUnsynced = false;
      }
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /**
   * Ends the file. An overwrite replaces the old file only when its stream completed and every
   * write succeeded; otherwise the temp file goes and the old file stays as it was.
   */
  async finish(complete: boolean): Promise<void> {
    if (this.mode === "append") {
      try {
        await this.sync();
      } finally {
        await this.handle.close();
      }
      return;
    }
    let keep = complete && !this.failed;
    let failure: unknown;
    try {
      if (keep) await this.sync();
    } catch (error) {
      keep = false;
      failure = error;
    } finally {
      await this.handle.close();
    }
    if (!keep) {
      await unlink(this.writePath).catch(() => {});
      if (failure !== undefined) throw failure;
      return;
    }
    await rename(this.writePath, this.finalPath);
    await syncDirectory(dirname(this.finalPath));
  }
}
