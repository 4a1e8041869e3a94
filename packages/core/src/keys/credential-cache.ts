import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../time/clock.ts";

interface Entry {
  principal: Principal;
  storedAt: number;
}

/**
 * Verified credentials kept in process for a few seconds, so most requests skip the
 * database. Entries are keyed by the credential's keyed hash (never the secret) and dropped
 * by credential id when a revocation message arrives. Bounded: the oldest entry goes first.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byCredential = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(hash: string): Principal | null {
    const entry = this.entries.get(hash);
    if (!entry) return null;
    const now = this.clock.now().getTime();
    const { expiresAt } = entry.principal;
    if (now - entry.storedAt >= this.ttlMs || (expiresAt && expiresAt.getTime() <= now)) {
      this.delete(hash, entry.principal.credentialId);
      return null;
    }
    return entry.principal;
  }

  set(hash: string, principal: Principal): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(hash)) {
      const [oldestHash, oldest] = this.entries.entries().next().value as [string, Entry];
      this.delete(oldestHash, oldest.principal.credentialId);
    }
    this.entries.set(hash, { principal, storedAt: this.clock.now().getTime() });
    const hashes = this.byCredential.get(principal.credentialId) ?? new Set<string>();
    hashes.add(hash);
    this.byCredential.set(principal.credentialId, hashes);
  }

  /** Forgets every cached secret of a credential (its current and previous one). */
  evictCredential(credentialId: string): void {
    for (const hash of this.byCredential.get(credentialId) ?? []) this.entries.delete(hash);
    this.byCredential.delete(credentialId);
  }

  clear(): void {
    this.entries.clear();
    this.byCredential.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(hash: string, credentialId: string) {
    this.entries.delete(hash);
    const hashes = this.byCredential.get(credentialId);
    hashes?.delete(hash);
    if (hashes?.size === 0) this.byCredential.delete(credentialId);
  }
}
