import type { Database } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { liveFilesWhere } from "./file-deps.ts";
import { nextFilePurgeAt } from "./file-purge-schedule.ts";
import { effectiveFileRetentionDays, purgedByWhere } from "./file-retention.ts";

/** An organization's files against its plan, and what the next purge run will remove of them. */
export interface OrganizationFilesSummary {
  organizationId: string;
  fileCount: number;
  /** bytes of its live files: what counts against the quota */
  usedBytes: number;
  /** the tier's storage quota; null = unlimited */
  quotaBytes: number | null;
  /** the tier's largest single file */
  maxFileBytes: number;
  /** null = the tier's */
  fileRetentionDays: number | null;
  tierFileRetentionDays: number;
  effectiveFileRetentionDays: number;
  /** while on, the purge keeps every file and nothing can be deleted */
  legalHold: boolean;
  nextPurge: {
    /** when the worker's purge next runs */
    at: Date;
    /** the live files it will remove (none under a legal hold) */
    fileCount: number;
    bytes: number;
  };
}

/**
 * Storage used against the tier's quota, and the count and bytes of the files that will have
 * expired by the next purge run (by their expiry, or by the organization's own retention, as
 * the purge decides). Two aggregates over the organization's files.
 */
export async function summarizeOrganizationFiles(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string },
): Promise<OrganizationFilesSummary> {
  const now = deps.clock.now();
  const org = await deps.db.organization.findUnique({
    where: { id: input.organizationId },
    select: {
      fileRetentionDays: true,
      legalHold: true,
      tier: { select: { fileRetentionDays: true, maxStorageBytes: true, maxFileBytes: true } },
    },
  });
  if (!org) {
    throw new DomainError(
      "not_found",
      `organization ${input.organizationId} does not exist`,
      "organizationId",
    );
  }
  const live = liveFilesWhere(input.organizationId, now);
  const at = nextFilePurgeAt(now);
  const [stored, purged] = await Promise.all([
    deps.db.file.aggregate({ where: live, _count: { _all: true }, _sum: { bytes: true } }),
    org.legalHold
      ? null
      : deps.db.file.aggregate({
          where: { AND: [live, purgedByWhere(org.fileRetentionDays, at)] },
          _count: { _all: true },
          _sum: { bytes: true },
        }),
  ]);
  return {
    organizationId: input.organizationId,
    fileCount: stored._count._all,
    usedBytes: Number(stored._sum.bytes ?? 0n),
    quotaBytes: org.tier.maxStorageBytes === null ? null : Number(org.tier.maxStorageBytes),
    maxFileBytes: Number(org.tier.maxFileBytes),
    fileRetentionDays: org.fileRetentionDays,
    tierFileRetentionDays: org.tier.fileRetentionDays,
    effectiveFileRetentionDays: effectiveFileRetentionDays(org),
    legalHold: org.legalHold,
    nextPurge: {
      at,
      fileCount: purged?._count._all ?? 0,
      bytes: Number(purged?._sum.bytes ?? 0n),
    },
  };
}
