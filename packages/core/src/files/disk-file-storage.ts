import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, opendir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { createByteMeter } from "./byte-meter.ts";
import { assertStorageKey, type FileStorage, isStorageKey, type StoredObject } from "./file-storage.ts";

/** Bytes are written in slices of this size at most (fewer, larger writes than the 64 KiB reads). */
const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Files on local disk under `directory` (`DATA_DIR/files`), one file per object named by its
 * key. An upload is written to `.partial/` beside them, flushed to the disk and then renamed
 * into place, so a reader never sees half an object and a failure leaves no bytes under the key.
 * A crash mid-write leaves a file in `.partial/`, which `removeAbandonedUploads` clears.
 */
export function createDiskFileStorage(options: { directory: string }): FileStorage {
  const root = path.resolve(options.directory);
  const partialDir = path.join(root, ".partial");
  let ready: Promise<unknown> | null = null;
  const ensureDirectories = () => {
    ready ??= mkdir(partialDir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      ready = null;
      throw error;
    });
    return ready;
  };
  const objectPath = (key: string) => {
    assertStorageKey(key);
    return path.join(root, key);
  };

  return {
    kind: "disk",

    async put(key, content, { maxBytes }) {
      const target = objectPath(key);
      await ensureDirectories();
      const meter = createByteMeter(maxBytes);
      const temp = path.join(partialDir, `${key}.${randomBytes(6).toString("hex")}`);
      const handle = await open(temp, "wx", 0o600);
      let isOpen = true;
      try {
        let pending: Uint8Array[] = [];
        let pendingBytes = 0;
        for await (const chunk of content) {
          meter.add(chunk);
          pending.push(chunk);
          pendingBytes += chunk.byteLength;
          if (pendingBytes >= WRITE_BATCH_BYTES) {
            await writeAll(handle, pending, pendingBytes);
            pending = [];
            pendingBytes = 0;
          }
        }
        if (pendingBytes > 0) await writeAll(handle, pending, pendingBytes);
        // durable before it becomes visible: a crash after the rename cannot leave a short file
        await handle.sync();
        isOpen = false;
        await handle.close();
        await rename(temp, target);
        await syncDirectory(root);
        return meter.result();
      } catch (error) {
        if (isOpen) await handle.close().catch(() => {});
        await rm(temp, { force: true });
        throw error;
      }
    },

    async get(key) {
      const handle = await openIfExists(objectPath(key));
      if (!handle) return null;
      try {
        // size and stream from one open file: a delete meanwhile cannot make them disagree
        const { size } = await handle.stat();
        return { stream: handle.createReadStream({ autoClose: true }), bytes: size };
      } catch (error) {
        await handle.close().catch(() => {});
        throw error;
      }
    },

    async head(key) {
      try {
        return { bytes: (await stat(objectPath(key))).size };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      await rm(objectPath(key), { force: true });
    },

    async *list(): AsyncIterable<StoredObject> {
      const directory = await openDirectoryIfExists(root);
      if (!directory) return;
      for await (const entry of directory) {
        if (!entry.isFile() || !isStorageKey(entry.name)) continue;
        const modifiedAt = await modifiedTime(path.join(root, entry.name));
        if (modifiedAt) yield { key: entry.name, modifiedAt };
      }
    },

    async removeAbandonedUploads(before) {
      const directory = await openDirectoryIfExists(partialDir);
      if (!directory) return 0;
      let removed = 0;
      for await (const entry of directory) {
        if (!entry.isFile()) continue;
        const file = path.join(partialDir, entry.name);
        const modifiedAt = await modifiedTime(file);
        if (modifiedAt && modifiedAt < before) {
          await rm(file, { force: true });
          removed += 1;
        }
      }
      return removed;
    },

    async close() {},
  };
}

async function writeAll(handle: FileHandle, chunks: Uint8Array[], length: number) {
  const buffer = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, length);
  let offset = 0;
  while (offset < buffer.byteLength) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename itself durable. Platforms that cannot open a directory skip this. */
async function syncDirectory(directory: string) {
  let handle: FileHandle;
  try {
    handle = await open(directory, "r");
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // EINVAL/EPERM on some platforms and file systems: the rename is still atomic
  } finally {
    await handle.close();
  }
}

async function openIfExists(file: string) {
  try {
    return await open(file, "r");
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function openDirectoryIfExists(directory: string) {
  try {
    return await opendir(directory, { bufferSize: 256 });
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function modifiedTime(file: string): Promise<Date | null> {
  try {
    return (await stat(file)).mtime;
  } catch (error) {
    if (isMissing(error)) return null; // removed while we looked
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}
