import { createHash } from "node:crypto";
import { DomainError } from "../errors/domain-error.ts";
import type { StoredBytes } from "./file-storage.ts";

/**
 * Counts and hashes bytes as they stream past, and stops them at the size limit: each backend
 * feeds every chunk through one before writing it, so the limit holds without buffering.
 */
export interface ByteMeter {
  readonly maxBytes: number;
  /** Accounts for the next chunk; throws once the total passes `maxBytes`. */
  add(chunk: Uint8Array): void;
  readonly bytes: number;
  result(): StoredBytes;
}

export function createByteMeter(maxBytes: number): ByteMeter {
  const hash = createHash("sha256");
  let bytes = 0;
  return {
    maxBytes,
    add(chunk) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) throw fileTooLarge(maxBytes);
      hash.update(chunk);
    },
    get bytes() {
      return bytes;
    },
    result: () => ({ bytes, sha256: hash.digest("hex") }),
  };
}

export function fileTooLarge(maxBytes: number): DomainError {
  return new DomainError(
    "payload_too_large",
    `The file is larger than ${describeBytes(maxBytes)}, the most your plan allows.`,
    "file",
    "file_too_large",
  );
}

/** A size as people read it in a message: whole GiB or MiB when it is one, else bytes. */
export function describeBytes(bytes: number): string {
  const MiB = 1024 * 1024;
  const GiB = 1024 * MiB;
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  return `${bytes} bytes`;
}
