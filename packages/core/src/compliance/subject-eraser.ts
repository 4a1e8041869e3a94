import type { Database, DeletionSubjectType } from "@dsc/db";
import { purgeCacheForSubject } from "../cache/purge-cache-for-subject.ts";
import type { ResponseCache } from "../cache/response-cache.ts";
import type { FileStorage } from "../files/file-storage.ts";

/** Whose data an erasure removes. */
export interface ErasureSubject {
  organizationId: string;
  type: DeletionSubjectType;
  /** the end-user id, the organization id, or the dashboard user id */
  id: string;
}

/**
 * Removes one kind of data of a subject and says how much. The compliance core erases what it
 * owns (logs, data keys, usage identities, credentials); files and cache plug in their own.
 * Erasers must be idempotent: a request that failed half-way runs them all again.
 */
export interface SubjectEraser {
  kind: string;
  erase(subject: ErasureSubject): Promise<number>;
}

/** Conversation logs and the data keys that encrypted them (crypto-shredding). */
export function chatLogEraser(db: Database): SubjectEraser {
  return {
    kind: "chat_logs",
    async erase(subject) {
      const logs = subjectFilter(subject);
      if (!logs) return 0;
      return db.$transaction(async (tx) => {
        const count = await tx.chatLog.count({ where: logs.chatLogs });
        // destroying the keys shreds the logs; the foreign key then deletes their rows too
        await tx.dataKey.deleteMany({ where: logs.dataKeys });
        await tx.chatLog.deleteMany({ where: logs.chatLogs });
        return count;
      });
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
      if (subject.type === "ACCOUNT") {
        return (
          await db.user.deleteMany({ where: { id: subject.id, organizationId: subject.organizationId } })
        ).count;
      }
      return db.$transaction(async (tx) => {
        const keys = await tx.apiKey.deleteMany({ where: { organizationId: subject.organizationId } });
        const clients = await tx.oAuthClient.deleteMany({
          where: { organizationId: subject.organizationId },
        });
        const people = await tx.user.deleteMany({ where: { organizationId: subject.organizationId } });
        await tx.organization.update({
          where: { id: subject.organizationId },
          data: { name: "Deleted organization", dataCollectionOptOut: true },
        });
        return keys.count + clients.count + people.count;
      });
    },
  };
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

/** Cached answers of the subject (an end user's, or all of an organization's). */
export function cacheEraser(cache: ResponseCache | null): SubjectEraser {
  return {
    kind: "cache_entries",
    erase: (subject) =>
      subject.type === "ACCOUNT"
        ? Promise.resolve(0)
        : purgeCacheForSubject(
            { cache },
            {
              organizationId: subject.organizationId,
              endUserId: subject.type === "END_USER" ? subject.id : undefined,
            },
          ),
  };
}
