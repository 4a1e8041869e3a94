import type { Principal } from "../credentials/principal.ts";
import type { Clock } from "../time/clock.ts";

export interface CredentialCache {
  /** The principal cached for a secret's keyed hash, or null when absent or out of date. */
  get(hash: string): Principal | null;
  set(hash: string, principal: Principal): void;
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
 * database. Entries are keyed by the credential's keyed hash (never the secret) and dropped
 * by credential id when a revocation message arrives. Bounded: the oldest entry goes first.
 */
export function createCredentialCache(clock: Clock, ttlMs = 5_000, maxEntries = 10_000): CredentialCache {
  const entries = new Map<string, Entry>();
  const byCredential = new Map<string, Set<string>>();

  function remove(hash: string, credentialId: string) {
    entries.delete(hash);
    const hashes = byCredential.get(credentialId);
    hashes?.delete(hash);
    if (hashes?.size === 0) byCredential.delete(credentialId);
  }

  return {
    get(hash) {
      const entry = entries.get(hash);
      if (!entry) return null;
      const now = clock.now().getTime();
      const { expiresAt } = entry.principal;
      if (now - entry.storedAt >= ttlMs || (expiresAt && expiresAt.getTime() <= now)) {
        remove(hash, entry.principal.credentialId);
        return null;
      }
      return entry.principal;
    },
    set(hash, principal) {
      if (entries.size >= maxEntries && !entries.has(hash)) {
        const [oldestHash, oldest] = entries.entries().next().value as [string, Entry];
        remove(oldestHash, oldest.principal.credentialId);
      }
      entries.set(hash, { principal, storedAt: clock.now().getTime() });
      const hashes = byCredential.get(principal.credentialId) ?? new Set<string>();
      hashes.add(hash);
      byCredential.set(principal.credentialId, hashes);
    },
    evictCredential(credentialId) {
      for (const hash of byCredential.get(credentialId) ?? []) entries.delete(hash);
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
