import type { Database, Prisma } from "@dsc/db";
import type { MemberRole } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { broadcastCachePurge } from "../cache/cache-purge-broadcast.ts";
import { purgeCacheForSubject } from "../cache/purge-cache-for-subject.ts";
import type { ResponseCache } from "../cache/response-cache.ts";
import { cachePurgeBroadcastAt, recordCachePurgeBroadcast } from "../chat-logs/erasure-tombstones.ts";
import type { FileStorage } from "../files/file-storage.ts";
import type { Clock } from "../time/clock.ts";
import { clearDeadLetteredEndUsers } from "../usage/dead-letter-usage.ts";
import { deleteEndUserRollups } from "../usage/delete-end-user-rollups.ts";
import {
  lockMembershipsOf,
  lockOrganizationMembers,
  peopleBeingErased,
} from "../users/organization-owners.ts";
import { assertAnotherActiveAdmin } from "../users/role-assignment.ts";
import { openDeletionRequest } from "./request-deletion.ts";

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

/** Rows deleted or changed per statement: short enough that no statement holds locks for long. */
export const ERASURE_BATCH_ROWS = 5_000;

/** Files per batch: each is a record and an object in the storage, deleted one by one. */
export const ERASURE_BATCH_FILES = 500;

/** What one batch found of the subject, and how much of it it erased. */
interface BatchOutcome {
  /** fewer than the batch size means nothing was left when the batch looked */
  found: number;
  erased: number;
}

/**
 * Runs `batch` until one finds less than a full batch, asking the turn before each and
 * recording on the request after each, so that a spent turn leaves the step resumable where
 * it stopped. Returns how much the batches erased.
 */
async function eraseInBatches(
  turn: ErasureTurn,
  size: number,
  batch: () => Promise<BatchOutcome>,
): Promise<number> {
  let erased = 0;
  for (;;) {
    if (!turn.takeBatch()) throw new ErasureTurnSpent(erased);
    const outcome = await batch();
    erased += outcome.erased;
    if (outcome.erased > 0) await turn.recordBatch(erased);
    if (outcome.found < size) return erased;
  }
}

/** Where something of another process may outlive an erasure for a while (see `lingersUntil`). */
export interface ErasureLinger {
  /** the progress step the request waits in, e.g. "cache_expiry" */
  step: string;
  /** when the last copy has expired; the request completes no earlier */
  until: Date;
}

/**
 * Removes one kind of data of a subject and says how much. The compliance core erases what it
 * owns (logs, data keys, usage identities, credentials); files and cache plug in their own.
 * Erasers must be idempotent: a request that failed half-way runs them all again.
 */
export interface SubjectEraser {
  kind: string;
  erase(subject: ErasureSubject, turn?: ErasureTurn): Promise<number>;
  /**
   * For a kind of which copies may outlive erase() where it can neither reach nor confirm (a
   * gateway's in-memory cache that missed the purge): when they have surely expired, once
   * erase() has run; null when none can remain. The request waits until then to complete.
   */
  lingersUntil?(subject: ErasureSubject): Promise<ErasureLinger | null>;
}

/** The subject's rows in a table keyed by organization and end user (logs, keys, files, usage). */
type SubjectRows = { organizationId: string; endUserId?: string };

/**
 * An eraser of what a subject keeps in such tables: all of an organization's rows, or those of
 * one end user. A dashboard account has none.
 */
function subjectRowsEraser(
  kind: string,
  eraseRows: (rows: SubjectRows, turn: ErasureTurn) => Promise<number>,
): SubjectEraser {
  return {
    kind,
    async erase(subject, turn = UNBOUNDED_TURN) {
      if (subject.type === "ACCOUNT") return 0;
      const rows: SubjectRows = { organizationId: subject.organizationId };
      if (subject.type === "END_USER") rows.endUserId = subject.id;
      return eraseRows(rows, turn);
    },
  };
}

/**
 * Erases, a batch at a time, the rows `find` returns (at most `take`), with `erase`, which says
 * how many it erased; until `find` returns less than a full batch.
 */
function eraseFoundRows<Row>(
  turn: ErasureTurn,
  size: number,
  find: (take: number) => Promise<Row[]>,
  erase: (found: Row[]) => Promise<number>,
): Promise<number> {
  return eraseInBatches(turn, size, async () => {
    const found = await find(size);
    return { found: found.length, erased: found.length === 0 ? 0 : await erase(found) };
  });
}

/**
 * Conversation logs and the data keys that encrypted them (crypto-shredding). The keys are
 * destroyed first, in one short statement, so every log is unreadable at once and nothing new
 * can be sealed under them; the rows then go in batches, and the keys' rows last (deleting a
 * key deletes its logs by cascade, which for a large subject would be one unbounded statement).
 */
export function chatLogEraser(db: Database): SubjectEraser {
  return subjectRowsEraser("chat_logs", async (rows, turn) => {
    await db.dataKey.updateMany({
      where: { ...rows, destroyedAt: null },
      data: { wrappedKey: new Uint8Array(0), destroyedAt: new Date() },
    });
    const erased = await eraseFoundRows(
      turn,
      ERASURE_BATCH_ROWS,
      (take) => db.chatLog.findMany({ where: rows, select: { id: true }, take }),
      async (logs) =>
        (await db.chatLog.deleteMany({ where: { id: { in: logs.map((log) => log.id) } } })).count,
    );
    await db.dataKey.deleteMany({ where: rows });
    return erased;
  });
}

/** Usage rows stay (they are counts, needed for billing) but lose the end-user id. */
export function usageIdentityEraser(db: Database): SubjectEraser {
  return subjectRowsEraser("usage_identities", (rows, turn) => {
    const where = { ...rows, endUserId: rows.endUserId ?? { not: null } };
    return eraseFoundRows(
      turn,
      ERASURE_BATCH_ROWS,
      (take) => db.usageEvent.findMany({ where, select: { id: true }, take }),
      async (found) => {
        const ids = found.map((row) => row.id);
        return (await db.usageEvent.updateMany({ where: { id: { in: ids } }, data: { endUserId: null } }))
          .count;
      },
    );
  });
}

/**
 * The usage roll-ups by end user: their rows go (the other roll-ups keep the counts without the
 * end user), all of an organization's when it is the subject.
 */
export function usageRollupEraser(db: Database): SubjectEraser {
  return subjectRowsEraser("usage_rollups", (rows, turn) => {
    const endUsers = { organizationId: rows.organizationId, endUserId: rows.endUserId ?? null };
    return eraseInBatches(turn, ERASURE_BATCH_ROWS, async () => {
      const deleted = await deleteEndUserRollups(db, endUsers, ERASURE_BATCH_ROWS);
      return { found: deleted, erased: deleted };
    });
  });
}

/**
 * Usage records the database refused (usage_dead_letter), kept for a person to settle, lose
 * the end-user id too; their counts stay, as in usage rows.
 */
export function usageDeadLetterEraser(db: Database): SubjectEraser {
  return subjectRowsEraser("usage_dead_letters", (rows, turn) => {
    const deadLetters = { organizationId: rows.organizationId, endUserId: rows.endUserId ?? null };
    return eraseInBatches(turn, ERASURE_BATCH_ROWS, async () => {
      const cleared = await clearDeadLetteredEndUsers(db, deadLetters, ERASURE_BATCH_ROWS);
      return { found: cleared, erased: cleared };
    });
  });
}

/** For an organization: its credentials and dashboard people; for an account: the person. */
export function accountEraser(db: Database, clock: Clock): SubjectEraser {
  return {
    kind: "accounts",
    async erase(subject) {
      if (subject.type === "END_USER") return 0;
      if (subject.type === "ACCOUNT") return eraseAccount(db, clock, subject.id);
      const organizationId = subject.organizationId;
      return db.$transaction(async (tx) => {
        // its members are read under their lock: nobody joins or leaves it half-way through
        await lockOrganizationMembers(tx, organizationId);
        const keys = await tx.apiKey.deleteMany({ where: { organizationId } });
        const clients = await tx.oAuthClient.deleteMany({ where: { organizationId } });
        // its people: those of no other organization are erased; the others only leave it
        const members = await tx.user.findMany({
          where: { memberships: { some: { organizationId } } },
          select: { id: true, email: true, _count: { select: { memberships: true } } },
        });
        const people = await erasePeople(
          tx,
          members.filter((member) => member._count.memberships === 1),
        );
        await leaveErasedOrganization(tx, organizationId);
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
 * The memberships of an erased organization's people who stay (they belong to others too);
 * those who worked in it now work in their oldest other organization. Its invitations go
 * too: nobody joins an erased organization, and the addresses they were sent to are erased.
 */
async function leaveErasedOrganization(tx: Prisma.TransactionClient, organizationId: string): Promise<void> {
  await tx.accountToken.deleteMany({ where: { organizationId } });
  await tx.membership.deleteMany({ where: { organizationId } });
  await tx.$executeRaw`
    UPDATE "user" u SET organization_id = (
      SELECT m.organization_id FROM membership m WHERE m.user_id = u.id ORDER BY m.created_at, m.organization_id LIMIT 1
    )
    WHERE u.organization_id = ${organizationId}`;
}

/** Who changes an organization's members when an erasure does. */
const ERASURE_ACTOR: Actor = { type: "SYSTEM", id: "compliance", origin: "worker" };

/**
 * One dashboard person, wherever they belong (the request was checked when it was opened; the
 * admin rule is checked again here, as admins may have changed in between). The person is
 * found by id alone: one who moved to another organization meanwhile is still erased. Their
 * organizations are looked at again under their member locks, as members may have come and
 * gone since the request: one they are the last member of is erased too, at once (nothing of
 * it outlives its people), and one they were the last owner of gets a new owner.
 */
async function eraseAccount(db: Database, clock: Clock, userId: string): Promise<number> {
  return db.$transaction(async (tx) => {
    const person = await tx.user.findUnique({
      where: { id: userId },
      select: { id: true, email: true, role: true, deactivatedAt: true },
    });
    if (!person) return 0; // an earlier attempt erased them
    // nobody could administer the platform after; the request fails and its deadline alerts
    if (person.role === "ADMIN" && !person.deactivatedAt) await assertAnotherActiveAdmin(tx, person.id);
    const memberships = await lockMembershipsOf(tx, userId);
    for (const membership of memberships) {
      await leaveOrganizationBehind(tx, clock, { ...membership, userId });
    }
    return erasePeople(tx, [person]);
  });
}

/**
 * What an erased person's organization needs once they are gone: its own erasure, due now,
 * when nobody else is in it; an owner, when they were its last one who could run it: the
 * member who can (active, not leaving themselves) with the most say, developers before
 * viewers, the longest-standing first. When every other member is deactivated or leaving too,
 * nobody is left to run it, and its erasure is opened rather than handed to someone leaving.
 */
async function leaveOrganizationBehind(
  tx: Prisma.TransactionClient,
  clock: Clock,
  input: { organizationId: string; userId: string; role: string },
): Promise<void> {
  const others = await tx.membership.findMany({
    where: { organizationId: input.organizationId, userId: { not: input.userId } },
    select: { userId: true, role: true, user: { select: { deactivatedAt: true } } },
    orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
  });
  if (others.length === 0) {
    await openOrganizationErasure(tx, clock, input.organizationId, clock.now());
    return;
  }
  if (input.role !== "OWNER") return;
  const leaving = await peopleBeingErased(
    tx,
    others.map((other) => other.userId),
  );
  const able = others.filter((other) => !other.user.deactivatedAt && !leaving.has(other.userId));
  if (able.some((other) => other.role === "OWNER")) return;
  const heir = [...able].sort((a, b) => HEIR_RANK[a.role] - HEIR_RANK[b.role])[0];
  if (!heir) {
    await openOrganizationErasure(tx, clock, input.organizationId);
    return;
  }
  await tx.membership.update({
    where: { organizationId_userId: { organizationId: input.organizationId, userId: heir.userId } },
    data: { role: "OWNER" },
  });
  await recordAuditEvent(tx, clock, {
    actor: ERASURE_ACTOR,
    action: "member.role.set",
    target: { type: "user", id: heir.userId },
    organizationId: input.organizationId,
    metadata: {
      from: heir.role,
      to: "OWNER",
      reason: "the last owner's account was erased; the member with the most say who remains became owner",
    },
  });
}

/** Who inherits first (a stable sort keeps the longest-standing first within a role). */
const HEIR_RANK: Record<MemberRole, number> = { OWNER: 0, DEVELOPER: 1, VIEWER: 2 };

/** The organization's erasure, due `dueAt` (72 hours from now when absent). */
async function openOrganizationErasure(
  tx: Prisma.TransactionClient,
  clock: Clock,
  organizationId: string,
  dueAt?: Date,
): Promise<void> {
  await openDeletionRequest(tx, clock, {
    organizationId,
    subjectType: "ORGANIZATION",
    subjectId: organizationId,
    actor: ERASURE_ACTOR,
    ...(dueAt ? { dueAt } : {}),
  });
}

/**
 * The people's rows (which hold their organization membership) and, by cascade, their sign-in
 * accounts, sessions and account links; e-mail sign-in tokens and account links (invitations)
 * for their addresses; their id on the keys and OAuth clients they created, which stay with
 * the organization. Audit rows keep their opaque id (the trail is append-only), which nothing
 * maps to a person any more.
 */
async function erasePeople(
  tx: Prisma.TransactionClient,
  people: { id: string; email: string }[],
): Promise<number> {
  if (people.length === 0) return 0;
  const ids = people.map((person) => person.id);
  const emails = people.map((person) => person.email);
  await tx.verificationToken.deleteMany({ where: { identifier: { in: emails } } });
  // links tied to the person go with their row (cascade); invitations sent to their address
  // before they had an account name only the address
  await tx.accountToken.deleteMany({ where: { email: { in: emails } } });
  await tx.apiKey.updateMany({ where: { createdById: { in: ids } }, data: { createdById: null } });
  await tx.oAuthClient.updateMany({ where: { createdById: { in: ids } }, data: { createdById: null } });
  return (await tx.user.deleteMany({ where: { id: { in: ids } } })).count;
}

/**
 * Uploaded files of the subject, expired ones included, in batches: a batch's records first,
 * then their bytes.
 */
export function fileEraser(deps: { db: Database; storage: FileStorage }): SubjectEraser {
  return subjectRowsEraser("files", (rows, turn) =>
    eraseFoundRows(
      turn,
      ERASURE_BATCH_FILES,
      (take) => deps.db.file.findMany({ where: rows, select: { id: true, storageKey: true }, take }),
      async (files) => {
        await deps.db.file.deleteMany({ where: { id: { in: files.map((f) => f.id) } } });
        // a failure here leaves bytes without a record, which the orphan sweeper removes;
        // it still fails the request, so that it is retried and the report stays honest
        for (const file of files) await deps.storage.delete(file.storageKey);
        return files.length;
      },
    ),
  );
}

/** The step a request waits in while gateways may still hold a cached answer of its subject. */
export const CACHE_EXPIRY_STEP = "cache_expiry";

/**
 * Cached answers of the subject (an end user's, or all of an organization's): purged from the
 * shared cache here (its count is reported), and from every gateway's in-memory cache by a
 * broadcast, which those caches carry out when it reaches them. No gateway confirms it, so
 * the request waits out the cache TTL (`ttlMs`, the gateways' RESPONSE_CACHE_TTL_SECONDS)
 * from the broadcast before it completes: by then an entry a gateway missed, or stored for a
 * request still in flight, has expired. A TTL of 0 (caching off) waits for nothing.
 */
export function cacheEraser(deps: {
  db: Database;
  clock: Clock;
  cache: ResponseCache | null;
  ttlMs: number;
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
      await recordCachePurgeBroadcast(deps.db, subject, deps.clock.now());
      return purged;
    },
    async lingersUntil(subject) {
      if (subject.type === "ACCOUNT" || deps.ttlMs <= 0) return null;
      const broadcastAt = await cachePurgeBroadcastAt(deps.db, subject);
      if (!broadcastAt) return null;
      return { step: CACHE_EXPIRY_STEP, until: new Date(broadcastAt.getTime() + deps.ttlMs) };
    },
  };
}

/**
 * Every kind of data an erasure removes, in the order the worker runs them: credentials and
 * people first (an erased organization can send nothing more), then the logs (keys destroyed
 * first, then the rows in batches), files and cached answers, then identities in usage, in
 * the usage roll-ups by end user and in dead-lettered usage. The one list the worker and the erasure proofs use, so a new eraser
 * cannot be left out of either. `cacheTtlMs` is the gateways' response-cache TTL, which the
 * request waits out after the cache purge (0 when caching is off).
 */
export function allSubjectErasers(deps: {
  db: Database;
  clock: Clock;
  storage: FileStorage;
  cache: ResponseCache | null;
  cacheTtlMs: number;
}): SubjectEraser[] {
  return [
    accountEraser(deps.db, deps.clock),
    chatLogEraser(deps.db),
    fileEraser({ db: deps.db, storage: deps.storage }),
    cacheEraser({ db: deps.db, clock: deps.clock, cache: deps.cache, ttlMs: deps.cacheTtlMs }),
    usageIdentityEraser(deps.db),
    usageRollupEraser(deps.db),
    usageDeadLetterEraser(deps.db),
  ];
}
