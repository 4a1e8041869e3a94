import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeS3, startFakeS3 } from "../../../../test/support/fake-s3.ts";
import { isDomainError } from "../errors/domain-error.ts";
import { createDiskFileStorage } from "./disk-file-storage.ts";
import type { FileStorage } from "./file-storage.ts";
import { createS3FileStorage } from "./s3-file-storage.ts";

let diskDir: string;
let fakeS3: FakeS3;
const backends: Record<string, () => FileStorage> = {};

beforeAll(async () => {
  diskDir = await mkdtemp(path.join(os.tmpdir(), "dsc-files-"));
  fakeS3 = await startFakeS3();
  backends.disk = () => createDiskFileStorage({ directory: diskDir });
  backends.s3 = () => createS3Storage();
});
const createS3Storage = () =>
  createS3FileStorage({
    bucket: fakeS3.bucket,
    endpoint: fakeS3.endpoint,
    region: "us-east-1",
    credentials: fakeS3.credentials,
    forcePathStyle: true,
  });
afterAll(async () => {
  await fakeS3.close();
  await rm(diskDir, { recursive: true, force: true });
});

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
let keys = 0;
const freshKey = () => `file-test${Date.now()}x${keys++}`;

/** `total` pseudo-random bytes in `chunk`-sized pieces, optionally failing after `failAfter`. */
async function* bytes(total: number, chunk = 16 * 1024, failAfter = Number.POSITIVE_INFINITY) {
  let sent = 0;
  let seed = total;
  while (sent < total) {
    if (sent >= failAfter) throw new Error("source broke");
    const size = Math.min(chunk, total - sent);
    const piece = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      piece[i] = seed >> 16;
    }
    sent += size;
    yield piece;
  }
}
const collect = async (source: AsyncIterable<Uint8Array>) => {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
};

async function listKeys(storage: FileStorage) {
  const found: string[] = [];
  for await (const object of storage.list()) found.push(object.key);
  return found;
}

describe.each(["disk", "s3"])("%s file storage", (kind) => {
  const storage = () => (backends[kind] as () => FileStorage)();

  it("stores a stream, reports size and sha256, and reads it back", async () => {
    const store = storage();
    const key = freshKey();
    const expected = await collect(bytes(300_000));
    const stored = await store.put(key, bytes(300_000), { maxBytes: 300_000 });
    expect(stored).toEqual({ bytes: 300_000, sha256: sha256(expected) });
    const content = await store.get(key);
    expect(content?.bytes).toBe(300_000);
    expect(sha256(await buffer(content?.stream as NodeJS.ReadableStream))).toBe(sha256(expected));
    expect(await store.head(key)).toEqual({ bytes: 300_000 });
    expect(await listKeys(store)).toContain(key);
  });

  it("stores a small file and an empty one in a single request", async () => {
    const store = storage();
    const key = freshKey();
    expect(await store.put(key, bytes(10), { maxBytes: 10 })).toMatchObject({ bytes: 10 });
    const empty = freshKey();
    expect(await store.put(empty, bytes(0), { maxBytes: 10 })).toEqual({
      bytes: 0,
      sha256: sha256(Buffer.alloc(0)),
    });
    expect(await store.head(empty)).toEqual({ bytes: 0 });
  });

  it("refuses more than maxBytes with payload_too_large and keeps nothing", async () => {
    const store = storage();
    const key = freshKey();
    const error = await store.put(key, bytes(200_001), { maxBytes: 200_000 }).catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe("payload_too_large");
    expect(await store.head(key)).toBeNull();
    expect(await store.get(key)).toBeNull();
    expect(await listKeys(store)).not.toContain(key);
    if (kind === "disk") expect(await readdir(path.join(diskDir, ".partial"))).toEqual([]);
  });

  it("keeps nothing when the source fails half way", async () => {
    const store = storage();
    const key = freshKey();
    await expect(store.put(key, bytes(300_000, 16 * 1024, 150_000), { maxBytes: 1e9 })).rejects.toThrow(
      "source broke",
    );
    expect(await store.head(key)).toBeNull();
    expect(await listKeys(store)).not.toContain(key);
    if (kind === "disk") expect(await readdir(path.join(diskDir, ".partial"))).toEqual([]);
  });

  it("deletes idempotently and answers null for missing objects", async () => {
    const store = storage();
    const key = freshKey();
    await store.put(key, bytes(100), { maxBytes: 100 });
    await store.delete(key);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    expect(await store.head(key)).toBeNull();
    expect(await listKeys(store)).not.toContain(key);
  });

  it("lists objects with their modification time", async () => {
    const store = storage();
    const key = freshKey();
    const before = Date.now() - 2_000;
    await store.put(key, bytes(5), { maxBytes: 5 });
    const listed: { key: string; modifiedAt: Date }[] = [];
    for await (const object of store.list()) listed.push(object);
    const entry = listed.find((object) => object.key === key);
    expect(entry?.modifiedAt.getTime()).toBeGreaterThan(before);
  });

  it("refuses keys that are not ids before touching the backend", async () => {
    const store = storage();
    for (const key of ["../escape", "a/b", ".hidden", "", "x".repeat(200)]) {
      await expect(store.put(key, bytes(1), { maxBytes: 1 })).rejects.toThrow(/invalid storage key/);
      await expect(store.get(key)).rejects.toThrow(/invalid storage key/);
      await expect(store.delete(key)).rejects.toThrow(/invalid storage key/);
    }
  });
});

describe("s3 file storage", () => {
  const MiB = 1024 * 1024;
  const PART = 5 * MiB;

  /**
   * `total` bytes in 64 KiB chunks, hashed as they go; each pull checks that the store reads
   * no further ahead of what the bucket has stored than the parts in flight (two) and the one
   * filling allow, with one chunk of slack: memory follows the part size, not the file's.
   */
  function watchedSource(total: number, failAfter = Number.POSITIVE_INFINITY) {
    const hash = createHash("sha256");
    const chunk = 64 * 1024;
    const partsBefore = fakeS3.partsStored;
    const source = {
      pulled: 0,
      furthestAhead: 0,
      sha256: () => hash.digest("hex"),
      async *bytes() {
        for await (const piece of bytes(total, chunk)) {
          if (source.pulled >= failAfter) throw new Error("source broke");
          const stored = fakeS3.partsStored - partsBefore;
          source.furthestAhead = Math.max(source.furthestAhead, source.pulled - stored * PART);
          source.pulled += piece.byteLength;
          hash.update(piece);
          yield piece;
        }
      },
    };
    return source;
  }

  it("sends a large stream as a multipart upload of 5 MiB parts, reading only as parts go out", async () => {
    const store = createS3Storage();
    const key = freshKey();
    const total = 4 * PART + 12_345;
    const partsBefore = fakeS3.partsStored;
    const source = watchedSource(total);
    const stored = await store.put(key, source.bytes(), { maxBytes: total });
    expect(stored).toEqual({ bytes: total, sha256: source.sha256() });
    expect(fakeS3.partsStored - partsBefore).toBe(5);
    // two parts in flight and one filling: never the whole 20 MiB
    expect(source.furthestAhead).toBeLessThanOrEqual(3 * PART + 64 * 1024);
    expect(await store.head(key)).toEqual({ bytes: total });
    const content = await store.get(key);
    const read = createHash("sha256");
    for await (const piece of content?.stream ?? []) read.update(piece as Buffer);
    expect(read.digest("hex")).toBe(stored.sha256);
    expect(await fakeS3.pendingUploads()).toBe(0);
  });

  it("aborts the multipart upload when the source fails after parts went up", async () => {
    const store = createS3Storage();
    const key = freshKey();
    const partsBefore = fakeS3.partsStored;
    const source = watchedSource(4 * PART, 2 * PART + 1);
    await expect(store.put(key, source.bytes(), { maxBytes: 4 * PART })).rejects.toThrow("source broke");
    expect(fakeS3.partsStored - partsBefore).toBeGreaterThanOrEqual(1);
    expect(await fakeS3.pendingUploads()).toBe(0);
    expect(await store.head(key)).toBeNull();
    expect(await listKeys(store)).not.toContain(key);
  });

  it("aborts the multipart upload past maxBytes and reports the size, not the abort", async () => {
    const store = createS3Storage();
    const key = freshKey();
    const source = watchedSource(3 * PART);
    const error = await store.put(key, source.bytes(), { maxBytes: 2 * PART + 10 }).catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe("payload_too_large");
    expect(await fakeS3.pendingUploads()).toBe(0);
    expect(await store.head(key)).toBeNull();
  });

  it("refuses parts smaller than S3 accepts when it is created", () => {
    expect(() =>
      createS3FileStorage({
        bucket: "b",
        endpoint: null,
        region: "us-east-1",
        credentials: null,
        forcePathStyle: true,
        partSize: 64 * 1024,
      }),
    ).toThrow(/at least/);
  });
});

describe("disk file storage", () => {
  it("names objects by key only and removes abandoned partial uploads past the cut-off", async () => {
    const store = createDiskFileStorage({ directory: diskDir });
    const key = freshKey();
    await store.put(key, bytes(3), { maxBytes: 3 });
    expect(await readdir(diskDir)).toContain(key);

    const stale = path.join(diskDir, ".partial", "file-crashed.abc");
    const fresh = path.join(diskDir, ".partial", "file-running.def");
    await writeFile(stale, "half");
    await writeFile(fresh, "half");
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);
    expect(await store.removeAbandonedUploads(new Date(Date.now() - 60_000))).toBe(1);
    expect(await readdir(path.join(diskDir, ".partial"))).toEqual(["file-running.def"]);
    await rm(fresh);
  });

  it("lists nothing and finds nothing in a directory that does not exist yet", async () => {
    const store = createDiskFileStorage({ directory: path.join(diskDir, "never-created") });
    expect(await listKeys(store)).toEqual([]);
    expect(await store.get("file-none")).toBeNull();
    expect(await store.removeAbandonedUploads(new Date())).toBe(0);
  });
});
