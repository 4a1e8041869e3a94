import { randomBytes } from "node:crypto";
import type { Database } from "@dsc/db";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import { open, seal } from "./aead.ts";
import { MasterKeyError } from "./master-key-error.ts";
import type { MasterKeyring } from "./master-keyring.ts";

/** An unwrapped data key, held in memory only. */
export interface DataKey {
  id: string;
  key: Buffer;
}

export interface DataKeyDeps {
  db: Database;
  clock: Clock;
  keyring: MasterKeyring;
}

const wrapContext = (organizationId: string, endUserId: string) => `data-key:${organizationId}:${endUserId}`;

/**
 * The data key of an organization, or of one of its end users (`endUserId` given): one per
 * (organization, end user), so destroying it shreds exactly that subject's logs.
 */
export async function getOrCreateDataKey(
  deps: DataKeyDeps,
  subject: { organizationId: string; endUserId: string | null },
): Promise<DataKey> {
  const endUserId = subject.endUserId ?? "";
  const where = { organizationId_endUserId: { organizationId: subject.organizationId, endUserId } };
  const existing = await deps.db.dataKey.findUnique({ where });
  if (existing?.destroyedAt) {
    // an erasure under way destroyed it; no master key is at fault, so not a MasterKeyError
    throw new Error("the subject's data key was destroyed by an erasure in progress");
  }
  if (existing) return { id: existing.id, key: unwrap(deps.keyring, existing) };
  const key = randomBytes(32);
  const { current } = deps.keyring;
  // Two writers (the chat-log writer, the response cache) may create the same subject's key at
  // once: insert with ON CONFLICT DO NOTHING and read back whichever row won. (Prisma's upsert on
  // a compound unique key is a read then an insert, which fails the loser with P2002.)
  await deps.db.dataKey.createMany({
    data: [
      {
        id: newId("dataKey"),
        organizationId: subject.organizationId,
        endUserId,
        wrappedKey: new Uint8Array(seal(current.key, key, wrapContext(subject.organizationId, endUserId))),
        masterKeyVersion: current.version,
        createdAt: deps.clock.now(),
      },
    ],
    skipDuplicates: true,
  });
  const row = await deps.db.dataKey.findUniqueOrThrow({ where });
  return { id: row.id, key: unwrap(deps.keyring, row) };
}

/**
 * Unwraps a stored data key with the master key version it was wrapped with. Throws a
 * MasterKeyError when that version is missing or is not the key that wrapped it.
 */
export function unwrap(
  keyring: MasterKeyring,
  row: { organizationId: string; endUserId: string; wrappedKey: Uint8Array; masterKeyVersion: number },
): Buffer {
  const version = row.masterKeyVersion;
  const master = keyring.byVersion(version);
  if (!master) throw new MasterKeyError({ version, reason: "not_configured" });
  try {
    return open(master.key, Buffer.from(row.wrappedKey), wrapContext(row.organizationId, row.endUserId));
  } catch (error) {
    throw new MasterKeyError({ version, reason: "wrong_key" }, { cause: error });
  }
}

/**
 * Re-wraps data keys wrapped by older master keys with the current one, in bounded batches.
 * The logs are not touched: their data keys stay the same. Idempotent.
 */
export async function rewrapDataKeys(
  deps: Omit<DataKeyDeps, "clock">,
  options: { batchSize?: number } = {},
): Promise<{ rewrapped: number }> {
  const batchSize = options.batchSize ?? 500;
  const { current } = deps.keyring;
  let rewrapped = 0;
  for (;;) {
    const stale = await deps.db.dataKey.findMany({
      // a key an erasure destroyed has nothing left to re-wrap
      where: { masterKeyVersion: { not: current.version }, destroyedAt: null },
      take: batchSize,
      orderBy: { id: "asc" },
    });
    if (stale.length === 0) return { rewrapped };
    for (const row of stale) {
      const key = unwrap(deps.keyring, row);
      // only if nobody re-wrapped it meanwhile (several workers)
      await deps.db.dataKey.updateMany({
        where: { id: row.id, masterKeyVersion: row.masterKeyVersion },
        data: {
          wrappedKey: new Uint8Array(seal(current.key, key, wrapContext(row.organizationId, row.endUserId))),
          masterKeyVersion: current.version,
        },
      });
      rewrapped += 1;
    }
  }
}
