import { hkdfSync } from "node:crypto";
import { open, seal } from "../crypto/aead.ts";
import type { CacheEntryRef } from "./response-cache.ts";

/*
 * A cached answer is a conversation's text, so it is kept as chat logs are: AES-256-GCM under
 * its subject's data key, so that a dump of Redis (or of a gateway's memory) holds no plaintext
 * conversation and destroying the data key (erasure) leaves the entry unreadable.
 */

// What a stored value starts with: the shape of what follows, so that a later one can differ.
const FORMAT = "v1:";
const DERIVATION_INFO = "dsc response cache v1";

// Derived keys per data key (the data-key cache hands out the same Buffer for a key while it
// holds it), so that derivation costs once per key, not once per request.
const derivedKeys = new WeakMap<Buffer, Buffer>();

/**
 * The key of cache entries, derived from the data key (HKDF-SHA-256) rather than the data key
 * itself: a cache entry can never be opened as a chat log, nor a chat log as a cache entry.
 */
function entryKeyOf(dataKey: Buffer): Buffer {
  let derived = derivedKeys.get(dataKey);
  if (!derived) {
    derived = Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), DERIVATION_INFO, 32));
    derivedKeys.set(dataKey, derived);
  }
  return derived;
}

// binds a value to its entry: moved to another key (request, organization), it does not open
const associatedDataOf = (ref: CacheEntryRef) => `response-cache:${ref.organizationId}:${ref.hash}`;

/** An answer sealed for its entry, as the text a cache store keeps. */
export function sealCacheEntry(dataKey: Buffer, ref: CacheEntryRef, plaintext: string): string {
  const sealed = seal(entryKeyOf(dataKey), Buffer.from(plaintext, "utf8"), associatedDataOf(ref));
  return FORMAT + sealed.toString("base64");
}

/**
 * The answer a stored value holds, or null when it cannot be opened: another key (the data
 * key was destroyed, or replaced after an erasure), another entry's value, or damaged.
 */
export function openCacheEntry(dataKey: Buffer, ref: CacheEntryRef, stored: string): string | null {
  if (!stored.startsWith(FORMAT)) return null;
  try {
    const sealed = Buffer.from(stored.slice(FORMAT.length), "base64");
    return open(entryKeyOf(dataKey), sealed, associatedDataOf(ref)).toString("utf8");
  } catch {
    return null;
  }
}
