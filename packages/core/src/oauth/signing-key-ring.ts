import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Database, SigningKey } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import type { Clock } from "../time/clock.ts";
import { decryptPrivateKey } from "./signing-key-secret.ts";
import { ensureSigningKey, pickSigningKey, type SigningAlgorithm } from "./signing-keys.ts";

export interface SigningKeyRing {
  /** The key that signs now (created on first use), with its private key decrypted. */
  signingKey(): Promise<{ kid: string; algorithm: SigningAlgorithm; privateKey: KeyObject }>;
  /**
   * The public key of `kid` while it may still verify, or null. An unknown kid reloads the
   * key set (at most once per cooldown), so keys rotated by another process are found.
   */
  verificationKey(kid: string): Promise<{ algorithm: SigningAlgorithm; publicKey: KeyObject } | null>;
  /** The public keys that verify now, as a JWK Set (RFC 7517). */
  jwks(): Promise<{ keys: JsonWebKey[] }>;
  /** Drops the cached key set; the next call reads the database. */
  refresh(): void;
}

type PublicRow = Pick<
  SigningKey,
  "id" | "algorithm" | "publicJwk" | "notBefore" | "retireAfter" | "createdAt"
>;

const GATEWAY_ACTOR: Actor = { type: "SYSTEM", id: "gateway", origin: "gateway" };

/**
 * The signing keys every gateway shares through the database, cached in process for
 * `cacheTtlMs` (wall time, not the domain clock: it only bounds how often we ask). Retirement
 * is decided with the domain clock at each verification, so a cached key stops verifying on time.
 */
export function createSigningKeyRing(deps: {
  db: Database;
  clock: Clock;
  signingSecret: string;
  cacheTtlMs?: number;
  refreshCooldownMs?: number;
}): SigningKeyRing {
  const ttl = deps.cacheTtlMs ?? 30_000;
  const cooldown = deps.refreshCooldownMs ?? 1_000;
  let rows: PublicRow[] = [];
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<PublicRow[]> | null = null;
  const privateKeys = new Map<string, KeyObject>();
  const publicKeys = new Map<string, KeyObject>();

  const isUsable = (row: PublicRow, now: Date) => !row.retireAfter || row.retireAfter > now;

  function load(): Promise<PublicRow[]> {
    loading ??= deps.db.signingKey
      .findMany({
        where: { OR: [{ retireAfter: null }, { retireAfter: { gt: deps.clock.now() } }] },
        select: {
          id: true,
          algorithm: true,
          publicJwk: true,
          notBefore: true,
          retireAfter: true,
          createdAt: true,
        },
      })
      .then((found) => {
        rows = found;
        loadedAt = performance.now();
        return found;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  function refresh() {
    loadedAt = Number.NEGATIVE_INFINITY;
  }

  const current = () => (performance.now() - loadedAt < ttl ? Promise.resolve(rows) : load());

  async function decrypt(kid: string): Promise<KeyObject> {
    const cached = privateKeys.get(kid);
    if (cached) return cached;
    const row = await deps.db.signingKey.findUniqueOrThrow({
      where: { id: kid },
      select: { privateKeyCiphertext: true },
    });
    let der: Buffer;
    try {
      der = decryptPrivateKey(deps.signingSecret, kid, row.privateKeyCiphertext);
    } catch {
      throw new Error(
        `signing key ${kid} cannot be decrypted: SIGNING_KEY_SECRET differs from the one it was made with ` +
          "(restore it, or run `dsc-admin signing-key rotate` with the new one)",
      );
    }
    const key = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    privateKeys.set(kid, key);
    return key;
  }

  return {
    async signingKey() {
      let key: Pick<SigningKey, "id" | "algorithm"> | null = pickSigningKey(await current());
      if (!key) {
        key = await ensureSigningKey(deps, GATEWAY_ACTOR);
        refresh();
      }
      return { kid: key.id, algorithm: key.algorithm, privateKey: await decrypt(key.id) };
    },

    async verificationKey(kid) {
      const now = deps.clock.now();
      let row = (await current()).find((r) => r.id === kid);
      if (!row && performance.now() - loadedAt >= cooldown) row = (await load()).find((r) => r.id === kid);
      if (!row || !isUsable(row, now)) return null;
      let publicKey = publicKeys.get(kid);
      if (!publicKey) {
        publicKey = createPublicKey({ key: row.publicJwk as JsonWebKey, format: "jwk" });
        publicKeys.set(kid, publicKey);
      }
      return { algorithm: row.algorithm, publicKey };
    },

    async jwks() {
      const now = deps.clock.now();
      let usable = (await current()).filter((row) => isUsable(row, now));
      if (!pickSigningKey(usable)) {
        // a fresh installation publishes the key it is about to sign with
        await ensureSigningKey(deps, GATEWAY_ACTOR);
        usable = (await load()).filter((row) => isUsable(row, now));
      }
      return {
        keys: [...usable]
          .sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime() || b.id.localeCompare(a.id))
          .map((row) => row.publicJwk as JsonWebKey),
      };
    },

    refresh,
  };
}
