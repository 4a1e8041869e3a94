import type { Principal } from "../credentials/principal.ts";
import type { Clock } from "../time/clock.ts";

export interface CredentialCache {
  /** The principal cached for a secret's lookup digest, or null when absent or out of date. */
  get(digest: string): Principal | null;
  set(digest: string, principal: Principal): void;
  /** Forgets every cached secret of a credential (its current and previous one). */
  evictCredential(credentialId: string): void;
  clear(): void;
  readonly size: number;
}

interface Entry {
  principal: Principal;
  storedAt: number;
}

/**
 * Verified credentials kept in process for a few seconds, so most requests skip the
 * database. Entries are keyed by the secret's lookup digest (never the secret) and dropped
 * by credential id when a revocation message arrives. Bounded: the oldest entry goes first.
 */
export function createCredentialCache(clock: Clock, ttlMs = 5_000, maxEntries = 10_000): CredentialCache {
  const entries = new Map<string, Entry>();
  const byCredential = new Map<string, Set<string>>();

  function remove(digest: string, credentialId: string) {
    entries.delete(digest);
    const digests = byCredential.get(credentialId);
    digests?.delete(digest);
    if (digests?.size === 0) byCredential.delete(credentialId);
  }

  return {
    get(digest) {
      const entry = entries.get(digest);
      if (!entry) return null;
      const now = clock.now().getTime();
      const { expiresAt } = entry.principal;
      if (now - entry.storedAt >= ttlMs || (expiresAt && expiresAt.getTime() <= now)) {
        remove(digest, entry.principal.credentialId);
        return null;
      }
      return entry.principal;
    },
    set(digest, principal) {
      if (entries.size >= maxEntries && !entries.has(digest)) {
        const [oldestHash, oldest] = entries.entries().next().value as [string, Entry];
        remove(oldestHash, oldest.principal.credentialId);
      }
      entries.set(digest, { principal, storedAt: clock.now().getTime() });
      const digests = byCredential.get(principal.credentialId) ?? new Set<string>();
      digests.add(digest);
      byCredential.set(principal.credentialId, digests);
    },
    evictCredential(credentialId) {
      for (const digest of byCredential.get(credentialId) ?? []) entries.delete(digest);
      byCredential.delete(credentialId);
    },
    clear() {
      entries.clear();
      byCredential.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
