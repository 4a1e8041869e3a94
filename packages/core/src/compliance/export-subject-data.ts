import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { type DecryptedChatLog, readChatLogs } from "../chat-logs/read-chat-logs.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { Clock } from "../time/clock.ts";

export interface SubjectExport {
  endUserId: string;
  exportedAt: Date;
  chatLogs: DecryptedChatLog[];
  files: {
    id: string;
    filename: string;
    purpose: string;
    bytes: number;
    createdAt: Date;
    expiresAt: Date | null;
  }[];
}

/** Everything kept about one end user (GDPR art. 15, CCPA right to know), audited. */
export async function exportSubjectData(
  deps: { db: Database; clock: Clock; keyring: MasterKeyring },
  input: { organizationId: string; endUserId: string; actor: Actor },
): Promise<SubjectExport> {
  const chatLogs = await readChatLogs(deps, { ...input, purpose: "subject_export" });
  const now = deps.clock.now();
  const files = await deps.db.file.findMany({
    where: {
      organizationId: input.organizationId,
      endUserId: input.endUserId,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    orderBy: { createdAt: "asc" },
  });
  await recordAuditEvent(deps.db, deps.clock, {
    actor: input.actor,
    action: "subject.export",
    target: { type: "end_user", id: input.endUserId },
    organizationId: input.organizationId,
    metadata: { chatLogs: chatLogs.length, files: files.length },
  });
  return {
    endUserId: input.endUserId,
    exportedAt: now,
    chatLogs,
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
