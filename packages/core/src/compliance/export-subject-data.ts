import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import {
  countReadableChatLogs,
  type DecryptedChatLog,
  decryptedChatLogPages,
  recordChatLogRead,
} from "../chat-logs/read-chat-logs.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { Clock } from "../time/clock.ts";

export interface SubjectExport {
  endUserId: string;
  exportedAt: Date;
  /** how many chat logs the export holds, counted as it began */
  chatLogCount: number;
  /** the chat logs, oldest first, decrypted a page at a time as they are read */
  chatLogPages: AsyncIterable<DecryptedChatLog[]>;
  files: {
    id: string;
    filename: string;
    purpose: string;
    bytes: number;
    createdAt: Date;
    expiresAt: Date | null;
  }[];
}

/**
 * Everything kept about one end user (GDPR art. 15, CCPA right to know). The export is
 * recorded in the audit trail before any of it is read; its chat logs are decrypted page by
 * page while the caller sends them, however many there are.
 */
export async function exportSubjectData(
  deps: { db: Database; clock: Clock; keyring: MasterKeyring },
  input: { organizationId: string; endUserId: string; actor: Actor },
  options: { pageSize?: number } = {},
): Promise<SubjectExport> {
  const subject = { organizationId: input.organizationId, endUserId: input.endUserId };
  const now = deps.clock.now();
  const chatLogCount = await countReadableChatLogs(deps, subject);
  const files = await deps.db.file.findMany({
    where: {
      organizationId: input.organizationId,
      endUserId: input.endUserId,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    orderBy: { createdAt: "asc" },
  });
  await recordChatLogRead(deps, {
    ...subject,
    actor: input.actor,
    purpose: "subject_export",
    count: chatLogCount,
  });
  await recordAuditEvent(deps.db, deps.clock, {
    actor: input.actor,
    action: "subject.export",
    target: { type: "end_user", id: input.endUserId },
    organizationId: input.organizationId,
    metadata: { chatLogs: chatLogCount, files: files.length },
  });
  return {
    endUserId: input.endUserId,
    exportedAt: now,
    chatLogCount,
    chatLogPages: decryptedChatLogPages(deps, subject, options.pageSize),
    files: files.map((f) => ({
      id: f.id,
      filename: f.filename,
      purpose: f.purpose,
      bytes: Number(f.bytes),
      createdAt: f.createdAt,
      expiresAt: f.expiresAt,
    })),
  };
}
