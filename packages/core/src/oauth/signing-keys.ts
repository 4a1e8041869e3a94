import { generateKeyPairSync, type JsonWebKey } from "node:crypto";
import type { Database, Prisma, SigningKey } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { randomBase62 } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import { encryptPrivateKey } from "./signing-key-secret.ts";

export const SIGNING_ALGORITHMS = ["EdDSA", "ES256"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** Access tokens never live longer than this, whatever the configuration says. */
export const MAX_ACCESS_TOKEN_LIFETIME_MS = 3_600_000;
/**
 * How long a replaced key keeps verifying by default: the longest token lifetime, plus the
 * time other instances may still sign with it before their cached key set refreshes.
 */
export const DEFAULT_RETIREMENT_DELAY_MS = MAX_ACCESS_TOKEN_LIFETIME_MS + 10 * 60_000;

export interface SigningKeyDeps {
  db: Database;
  clock: Clock;
  /** SIGNING_KEY_SECRET: encrypts private keys at rest */
  signingSecret: string;
}

export type SigningKeyState = "signing" | "verifying" | "retired";

/** A signing key as it may be shown: never the private key. */
export interface SigningKeyView {
  kid: string;
  algorithm: SigningAlgorithm;
  state: SigningKeyState;
  notBefore: Date;
  retireAfter: Date | null;
  createdAt: Date;
}

export function signingKeyState(key: Pick<SigningKey, "retireAfter">, now: Date): SigningKeyState {
  if (!key.retireAfter) return "signing";
  return key.retireAfter > now ? "verifying" : "retired";
}

export function toSigningKeyView(key: SigningKey, now: Date): SigningKeyView {
  return {
    kid: key.id,
    algorithm: key.algorithm,
    state: signingKeyState(key, now),
    notBefore: key.notBefore,
    retireAfter: key.retireAfter,
    createdAt: key.createdAt,
  };
}

/**
 * The key that signs now: the newest one not replaced by a rotation. (Keys are in force from
 * creation; comparing notBefore with this instance's clock would let clock skew between
 * instances hide a fresh key.)
 */
export function pickSigningKey<T extends Pick<SigningKey, "id" | "notBefore" | "retireAfter">>(
  keys: readonly T[],
): T | null {
  let best: T | null = null;
  for (const key of keys) {
    if (key.retireAfter) continue;
    if (!best || newer(key, best)) best = key;
  }
  return best;
}

function newer(a: Pick<SigningKey, "notBefore" | "id">, b: Pick<SigningKey, "notBefore" | "id">): boolean {
  const diff = a.notBefore.getTime() - b.notBefore.getTime();
  return diff > 0 || (diff === 0 && a.id > b.id);
}

/**
 * The signing key in force, created on first use. Instances that start together agree on one
 * key: creation runs under a transaction-scoped advisory lock.
 */
export async function ensureSigningKey(deps: SigningKeyDeps, actor: Actor): Promise<SigningKey> {
  return deps.db.$transaction(async (tx) => {
    await lockSigningKeys(tx);
    const current = pickSigningKey(await tx.signingKey.findMany({ where: { retireAfter: null } }));
    if (current) return current;
    return insertSigningKey(tx, deps, "EdDSA", deps.clock.now(), actor, "signing_key.create");
  });
}

export interface RotateSigningKeyInput {
  algorithm?: SigningAlgorithm;
  /** how long replaced keys keep verifying (default: token lifetime plus cache lag) */
  retireAfterMs?: number;
  actor: Actor;
}

export interface RotatedSigningKey {
  key: SigningKeyView;
  /** the keys this rotation replaced, with the time they stop verifying */
  replaced: SigningKeyView[];
}

/**
 * A new key signs from now on; the keys it replaces verify until `retireAfterMs` from now
 * (a shorter delay never extends an earlier retirement), so tokens they signed keep working
 * until they expire. Gateways pick the new key up when their cached key set refreshes.
 */
export async function rotateSigningKey(
  deps: SigningKeyDeps,
  input: RotateSigningKeyInput,
): Promise<RotatedSigningKey> {
  const algorithm = input.algorithm ?? "EdDSA";
  if (!SIGNING_ALGORITHMS.includes(algorithm)) {
    throw new DomainError(
      "invalid",
      `algorithm must be one of ${SIGNING_ALGORITHMS.join(", ")}`,
      "algorithm",
    );
  }
  const delay = input.retireAfterMs ?? DEFAULT_RETIREMENT_DELAY_MS;
  if (!Number.isFinite(delay) || delay < 0) {
    throw new DomainError("invalid", "retirement delay must be zero or more", "retire_after");
  }
  const now = deps.clock.now();
  const retireAfter = new Date(now.getTime() + delay);
  return deps.db.$transaction(async (tx) => {
    await lockSigningKeys(tx);
    const replaced = await tx.signingKey.findMany({
      where: { OR: [{ retireAfter: null }, { retireAfter: { gt: retireAfter } }] },
      orderBy: { createdAt: "desc" },
    });
    if (replaced.length > 0) {
      await tx.signingKey.updateMany({
        where: { id: { in: replaced.map((key) => key.id) } },
        data: { retireAfter },
      });
    }
    const created = await insertSigningKey(tx, deps, algorithm, now, input.actor, "signing_key.rotate", {
      replaced: replaced.map((key) => key.id),
      retireAfter: retireAfter.toISOString(),
    });
    return {
      key: toSigningKeyView(created, now),
      replaced: replaced.map((key) => toSigningKeyView({ ...key, retireAfter }, now)),
    };
  });
}

/** Every signing key, newest first, retired ones included. */
export async function listSigningKeys(deps: { db: Database; clock: Clock }): Promise<SigningKeyView[]> {
  const keys = await deps.db.signingKey.findMany({
    orderBy: [{ notBefore: "desc" }, { retireAfter: { sort: "desc", nulls: "first" } }, { id: "desc" }],
  });
  const now = deps.clock.now();
  return keys.map((key) => toSigningKeyView(key, now));
}

async function lockSigningKeys(tx: Prisma.TransactionClient) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('dsc_signing_key'))::text`;
}

async function insertSigningKey(
  tx: Prisma.TransactionClient,
  deps: SigningKeyDeps,
  algorithm: SigningAlgorithm,
  now: Date,
  actor: Actor,
  action: string,
  metadata: Prisma.InputJsonObject = {},
): Promise<SigningKey> {
  const kid = `sig_${randomBase62(20)}`;
  const { publicKey, privateKey } =
    algorithm === "EdDSA"
      ? generateKeyPairSync("ed25519")
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const publicJwk: JsonWebKey = { ...publicKey.export({ format: "jwk" }), kid, alg: algorithm, use: "sig" };
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
  const created = await tx.signingKey.create({
    data: {
      id: kid,
      algorithm,
      publicJwk: publicJwk as Prisma.InputJsonObject,
      privateKeyCiphertext: new Uint8Array(encryptPrivateKey(deps.signingSecret, kid, pkcs8)),
      notBefore: now,
      createdAt: now,
    },
  });
  await recordAuditEvent(tx, deps.clock, {
    actor,
    action,
    target: { type: "signing_key", id: kid },
    metadata: { algorithm, ...metadata },
  });
  return created;
}
