import type { Readable } from "node:stream";

/** What `put` learned on the way: the size and SHA-256 of exactly the bytes stored. */
export interface StoredBytes {
  bytes: number;
  /** lowercase hex */
  sha256: string;
}

export interface StoredObject {
  key: string;
  /** when the object was last written; the sweeper leaves young objects alone */
  modifiedAt: Date;
}

/**
 * Where file bytes live: local disk or an S3-compatible bucket. Keys are chosen by the domain
 * (a file's id), never by users. Every method is idempotent where that makes sense: deleting
 * a missing key succeeds, and a failed `put` leaves nothing behind under the key.
 */
export interface FileStorage {
  readonly kind: "disk" | "s3";
  /**
   * Streams `content` under `key`, counting and hashing on the way. More than `maxBytes`
   * fails with a `payload_too_large` DomainError; any failure (too large, the source erroring,
   * the backend failing) removes what was written. The object becomes visible only complete.
   */
  put(key: string, content: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredBytes>;
  /** The object's bytes as a stream, with its size; null when there is no such object. */
  get(key: string): Promise<{ stream: Readable; bytes: number } | null>;
  /** The object's size, or null when there is no such object. */
  head(key: string): Promise<{ bytes: number } | null>;
  /** Removes the object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Every complete object, in no promised order, a page at a time (bounded memory). */
  list(): AsyncIterable<StoredObject>;
  /**
   * Removes the leftovers of uploads that never finished (a crash mid-write) and were last
   * touched before `before`; returns how many. S3 leaves this to the bucket's lifecycle rule.
   */
  removeAbandonedUploads(before: Date): Promise<number>;
  close(): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Keys are ids; anything else (a path, a dot, a slash) is a bug and must not reach a backend. */
export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key.slice(0, 140))}`);
}

export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}
