import type { Database, Prisma } from "@dsc/db";
import { broadcastCachePurge } from "../cache/cache-purge-broadcast.ts";
import { purgeCacheForSubject } from "../cache/purge-cache-for-subject.ts";
import type { ResponseCache } from "../cache/response-cache.ts";
import { recordCachePurgeBroadcast } from "../chat-logs/erasure-tombstones.ts";
import type { FileStorage } from "../files/file-storage.ts";
import type { Clock } from "../time/clock.ts";
import { assertAnotherActiveAdmin } from "../users/role-assignment.ts";

/**
 * Whose data an erasure removes: an end user of an organization (`id` is the `user` the
 * organization sent), a whole organization (`id` is its id), or a dashboard person (`id` is
 * their user id; `organizationId` is theirs, null for admins and compliance officers).
 */
export type ErasureSubject =
  | { type: "END_USER"; organizationId: string; id: string }
  | { type: "ORGANIZATION"; organizationId: string; id: string }
  | { type: "ACCOUNT"; organizationId: string | null; id: string };

/**
 * What an eraser may do in one turn. Big kinds erase in batches, each its own short statement,
 * and ask before each one; when the turn is spent they throw ErasureTurnSpent, and the worker
 * resumes them on its next turn (they are idempotent, so resuming is running them again).
 */
export interface ErasureTurn {
  /** false once this turn's batches are spent */
  takeBatch(): boolean;
  /** what the step erased so far in this turn, recorded on the request after each batch */
  recordBatch(erasedSoFar: number): Promise<void>;
}

/** Thrown by an eraser whose turn is spent before it finished; not a failure. */
export class ErasureTurnSpent extends Error {
  constructor(readonly erasedSoFar: number) {
    super("the erasure's batches for this turn are spent; it resumes on the next turn");
    this.name = "ErasureTurnSpent";
  }
}

/** A turn without a bound, for callers that erase outside the worker. */
export const UNBOUNDED_TURN: ErasureTurn = { takeBatch: () => true, recordBatch: async () => {} };

/** Rows deleted per statement: short enough that no statement holds locks for long. */
export const ERASURE_BATCH_ROWS = 5_000;

/**
 * Removes one kind of data of a subject and says how much. The compliance core erases what it
 * owns (logs, data keys, usage identities, credentials); files and cache plug in their own.
 * Erasers must be idempotent: a request that failed half-way runs them all again.
 */
export interface SubjectEraser {
  kind: string;
  erase(subject: ErasureSubject, turn?: ErasureTurn): Promise<number>;
}

/**
 * Conversation logs and the data keys that encrypted them (crypto-shredding). The keys are
 * destroyed first, in one short statement, so every log is unreadable at once and nothing new
 * can be sealed under them; the rows then go in batches, and the keys' rows last (deleting a
 * key deletes its logs by cascade, which for a large subject would be one unbounded statement).
 */
export function chatLogEraser(db: Database): SubjectEraser {
  return {
    kind: "chat_logs",
    async erase(subject, turn = UNBOUNDED_TURN) {
      const logs = subjectFilter(subject);
      if (!logs) return 0;
      await db.dataKey.updateMany({
        where: { ...logs.dataKeys, destroyedAt: null },
        data: { wrappedKey: new Uint8Array(0), destroyedAt: new Date() },
      });
      let erased = 0;
      for (;;) {
        if (!turn.takeBatch()) throw new ErasureTurnSpent(erased);
        const batch = await db.chatLog.findMany({
          where: logs.chatLogs,
          select: { id: true },
          take: ERASURE_BATCH_ROWS,
        });
        if (batch.length === 0) break;
        erased += (await db.chatLog.deleteMany({ where: { id: { in: batch.map((log) => log.id) } } })).count;
        await turn.recordBatch(erased);
        if (batch.length < ERASURE_BATCH_ROWS) break;
      }
      await db.dataKey.deleteMany({ where: logs.dataKeys });
      return erased;
    },
  };
}

/** Usage rows stay (they are counts, needed for billing) but lose the end-user id. */
export function usageIdentityEraser(db: Database): SubjectEraser {
  return {
    kind: "usage_identities",
    async erase(subject) {
      if (subject.type === "ACCOUNT") return 0;
      const where =
        subject.type === "END_USER"
          ? { organizationId: subject.organizationId, endUserId: subject.id }
          : { organizationId: subject.organizationId, endUserId: { not: null } };
      return (await db.usageEvent.updateMany({ where, data: { endUserId: null } })).count;
    },
  };
}

/** For an organization: its credentials and dashboard people; for an account: the person. */
export function accountEraser(db: Database): SubjectEraser {
  return {
    kind: "accounts",
    async erase(subject) {
      if (subject.type === "END_USER") return 0;
      if (subject.type === "ACCOUNT") return eraseAccount(db, subject.id);
      const organizationId = subject.organizationId;
      return db.$transaction(async (tx) => {
        const keys = await tx.apiKey.deleteMany({ where: { organizationId } });
        const clients = await tx.oAuthClient.deleteMany({ where: { organizationId } });
        const people = await erasePeople(
          tx,
          await tx.user.findMany({ where: { organizationId }, select: { id: true, email: true } }),
        );
        await tx.organization.update({
          where: { id: organizationId },
          data: { name: "Deleted organization", dataCollectionOptOut: true },
        });
        return keys.count + clients.count + people;
      });
    },
  };
}

/**
 * One dashboard person, wherever they belong (the request was checked when it was opened; the
 * admin rule is checked again here, as admins may have changed in between). The person is
 * found by id alone: one who moved to another organization meanwhile is still erased.
 */
async function eraseAccount(db: Database, userId: string): Promise<number> {
  return db.$transaction(async (tx) => {
    const person = await tx.user.findUnique({
      where: { id: userId },
      select: { id: true, email: true, role: true, deactivatedAt: true },
    });
    if (!person) return 0; // an earlier attempt erased them
    // nobody could administer the platform after; the request fails and its deadline alerts
    if (person.role === "ADMIN" && !person.deactivatedAt) await assertAnotherActiveAdmin(tx, person.id);
    return erasePeople(tx, [person]);
  });
}

/**
 * The people's rows (which hold their organization membership) and, by cascade, their sign-in
 * accounts and sessions; e-mail sign-in tokens for their addresses; their id on the keys and
 * OAuth clients they created, which stay with the organization. Audit rows keep their opaque
 * id (the trail is append-only), which nothing maps to a person any more.
 */
async function erasePeople(
  tx: Prisma.TransactionClient,
  people: { id: string; email: string }[],
): Promise<number> {
  if (people.length === 0) return 0;
  const ids = people.map((person) => person.id);
  await tx.verificationToken.deleteMany({
    where: { identifier: { in: people.map((person) => person.email) } },
  });
  await tx.apiKey.updateMany({ where: { createdById: { in: ids } }, data: { createdById: null } });
  await tx.oAuthClient.updateMany({ where: { createdById: { in: ids } }, data: { createdById: null } });
  return (await tx.user.deleteMany({ where: { id: { in: ids } } })).count;
}

function subjectFilter(subject: ErasureSubject) {
  if (subject.type === "END_USER") {
    return {
      dataKeys: { organizationId: subject.organizationId, endUserId: subject.id },
      chatLogs: { organizationId: subject.organizationId, endUserId: subject.id },
    };
  }
  if (subject.type === "ORGANIZATION") {
    return {
      dataKeys: { organizationId: subject.organizationId },
      chatLogs: { organizationId: subject.organizationId },
    };
  }
  return null; // dashboard accounts have no conversation logs
}

/** Uploaded files of the subject, expired ones included: records first, then bytes. */
export function fileEraser(deps: { db: Database; storage: FileStorage }): SubjectEraser {
  return {
    kind: "files",
    async erase(subject) {
      if (subject.type === "ACCOUNT") return 0;
      const where =
        subject.type === "END_USER"
          ? { organizationId: subject.organizationId, endUserId: subject.id }
          : { organizationId: subject.organizationId };
      const files = await deps.db.file.findMany({ where, select: { id: true, storageKey: true } });
      await deps.db.file.deleteMany({ where: { id: { in: files.map((f) => f.id) } } });
      // a failure here leaves bytes without a record, which the orphan sweeper removes;
      // it still fails the request, so that it is retried and the report stays honest
      for (const file of files) await deps.storage.delete(file.storageKey);
      return files.length;
    },
  };
}

/**
 * Cached answers of the subject (an end user's, or all of an organization's): purged from the
 * shared cache here (its count is reported), and from every gateway's in-memory cache by a
 * broadcast, which those caches carry out when it reaches them.
 */
export function cacheEraser(deps: {
  db: Database;
  cache: ResponseCache | null;
  clock?: Clock;
}): SubjectEraser {
  return {
    kind: "cache_entries",
    async erase(subject) {
      if (subject.type === "ACCOUNT") return 0;
      const cacheSubject = {
        organizationId: subject.organizationId,
        endUserId: subject.type === "END_USER" ? subject.id : null,
      };
      const purged = await purgeCacheForSubject({ cache: deps.cache }, cacheSubject);
      await broadcastCachePurge(deps.db, cacheSubject);
      // a gateway may miss the broadcast or store a late answer: completion waits out the TTL
      await recordCachePurgeBroadcast(deps.db, subject, deps.clock?.now() ?? new Date());
      return purged;
    },
  };
}

/**
 * Every kind of data an erasure removes, in the order the worker runs them: credentials and
 * people first (an erased organization can send nothing more), then the logs (keys destroyed
 * first, then the rows in batches), files and cached answers, then identities in usage. The one
 * list the worker and the erasure proofs use, so a new eraser cannot be left out of either.
 */
export function allSubjectErasers(deps: {
  db: Database;
  storage: FileStorage;
  cache: ResponseCache | null;
}): SubjectEraser[] {
  return [
    accountEraser(deps.db),
    chatLogEraser(deps.db),
    fileEraser({ db: deps.db, storage: deps.storage }),
    cacheEraser({ db: deps.db, cache: deps.cache }),
    usageIdentityEraser(deps.db),
  ];
}
