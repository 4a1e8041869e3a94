import type { Database, Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import { describeBytes } from "./byte-meter.ts";
import { liveFilesWhere } from "./file-deps.ts";

/**
 * What an organization's files take against its plan's storage quota: the bytes of its live
 * files. A deleted file's record is gone and an expired one no longer counts, so deleting or
 * expiring files frees quota at once, whether or not their bytes are removed yet.
 */
export async function storedFileBytes(
  db: Database | Prisma.TransactionClient,
  organizationId: string,
  now: Date,
): Promise<number> {
  const { _sum } = await db.file.aggregate({
    where: liveFilesWhere(organizationId, now),
    _sum: { bytes: true },
  });
  return Number(_sum.bytes ?? 0n);
}

/**
 * The check that counts, in the transaction that writes an upload's record: refuses the upload
 * when the organization's live files and it would pass `quota`. The check before the upload
 * only stops a stream early; uploads running side by side each saw the same room then. Here
 * they take turns: the organization's row is locked first, so each sees the records of the ones
 * before it, and two that fit alone but not together cannot both be kept. FOR NO KEY UPDATE
 * lets rows that only reference the organization (usage events, chat logs) be written
 * meanwhile; the lock ends with the transaction.
 */
export async function holdStorageQuota(
  tx: Prisma.TransactionClient,
  organizationId: string,
  now: Date,
  quota: number,
  bytes: number,
): Promise<void> {
  await tx.$queryRaw`SELECT id FROM organization WHERE id = ${organizationId} FOR NO KEY UPDATE`;
  if ((await storedFileBytes(tx, organizationId, now)) + bytes > quota) throw storageQuotaExceeded(quota);
}

export function storageQuotaExceeded(quota: number): DomainError {
  return new DomainError(
    "payload_too_large",
    `This upload would take your organization's files past ${describeBytes(quota)}, the storage ` +
      "your plan allows. Delete files you no longer need, or ask for a larger plan.",
    "file",
    "storage_quota_exceeded",
  );
}
