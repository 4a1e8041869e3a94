import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { liveFilesWhere } from "./file-deps.ts";
import { latestFileExpiry } from "./file-retention.ts";
import { type OrganizationFileView, toOrganizationFileView } from "./organization-file-view.ts";
import { fileNotFound } from "./retrieve-file.ts";

export interface ChangeFileExpiryInput {
  organizationId: string;
  fileId: string;
  expiresAt: Date;
  actor: Actor;
}

/**
 * Moves a live file's expiry, earlier or later, within what its organization's plan allows:
 * after now, and no later than its creation plus the organization's file retention (its own
 * when shorter than the tier's), the longest any upload may be kept. Audited with both
 * expiries. Allowed under a legal hold: the purge keeps held files whatever their expiry.
 */
export async function changeFileExpiry(
  deps: { db: Database; clock: Clock },
  input: ChangeFileExpiryInput,
): Promise<OrganizationFileView> {
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const file = await tx.file.findFirst({
      where: { id: input.fileId, ...liveFilesWhere(input.organizationId, now) },
      include: {
        organization: { select: { fileRetentionDays: true, tier: { select: { fileRetentionDays: true } } } },
      },
    });
    if (!file) throw fileNotFound(input.fileId);
    const latest = latestFileExpiry(file.createdAt, file.organization);
    if (!(input.expiresAt.getTime() > now.getTime())) {
      throw new DomainError("invalid", "Choose an expiry in the future.", "expiresAt");
    }
    if (input.expiresAt > latest) {
      throw new DomainError(
        "invalid",
        `Choose an expiry no later than ${latest.toISOString()}: the organization keeps files at most that long after they were uploaded.`,
        "expiresAt",
      );
    }
    // a deletion may have won the race since the read: then there is nothing to change
    const { count } = await tx.file.updateMany({
      where: { id: file.id },
      data: { expiresAt: input.expiresAt },
    });
    if (count === 0) throw fileNotFound(input.fileId);
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "file.expiry.change",
      target: { type: "file", id: file.id },
      organizationId: input.organizationId,
      metadata: {
        from: { expiresAt: file.expiresAt?.toISOString() ?? null },
        to: { expiresAt: input.expiresAt.toISOString() },
      },
    });
    return toOrganizationFileView({ ...file, expiresAt: input.expiresAt });
  });
}
