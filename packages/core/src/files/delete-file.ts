import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { type FileDeps, liveFilesWhere } from "./file-deps.ts";
import { fileNotFound } from "./retrieve-file.ts";

export interface DeleteFileInput {
  organizationId: string;
  fileId: string;
  actor: Actor;
}

/**
 * Deletes the organization's file: the record first (with its audit event), then the bytes.
 * That order is the crash-safe one: the file is gone for every reader as soon as the record
 * is, and bytes left behind by a crash or a storage failure are removed by the orphan sweeper.
 * `storageError` is that failure, for the caller to log; the deletion itself succeeded.
 * While the organization is under a legal hold its files are kept: a conflict (`legal_hold`).
 */
export async function deleteFile(
  deps: FileDeps,
  input: DeleteFileInput,
): Promise<{ id: string; storageError: unknown }> {
  const now = deps.clock.now();
  const file = await deps.db.$transaction(async (tx) => {
    const found = await tx.file.findFirst({
      where: { id: input.fileId, ...liveFilesWhere(input.organizationId, now) },
      select: { id: true, storageKey: true, bytes: true, purpose: true },
    });
    if (!found) throw fileNotFound(input.fileId);
    // read in the transaction that deletes, so a hold placed before it commits is never missed
    const organization = await tx.organization.findUnique({
      where: { id: input.organizationId },
      select: { legalHold: true },
    });
    if (organization?.legalHold) {
      throw new DomainError(
        "conflict",
        `File '${found.id}' cannot be deleted while its organization is under a legal hold.`,
        "file_id",
        "legal_hold",
      );
    }
    // a concurrent delete may have won the race: then this one did not happen
    if ((await tx.file.deleteMany({ where: { id: found.id } })).count === 0) {
      throw fileNotFound(input.fileId);
    }
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "file.delete",
      target: { type: "file", id: found.id },
      organizationId: input.organizationId,
      metadata: { bytes: Number(found.bytes), purpose: found.purpose },
    });
    return found;
  });
  try {
    await deps.storage.delete(file.storageKey);
    return { id: file.id, storageError: null };
  } catch (error) {
    return { id: file.id, storageError: error };
  }
}
