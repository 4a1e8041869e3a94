import type { Database, Prisma } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import {
  applyOrganizationChange,
  findOrganizationToChange,
  type OrganizationDetails,
} from "./organization-details.ts";

export interface RetentionOverrides {
  /** days; null = the tier's. Never longer than the tier's: a legal hold is how more is kept. */
  chatLogRetentionDays?: number | null;
  fileRetentionDays?: number | null;
}

const RETENTION_FIELDS = ["chatLogRetentionDays", "fileRetentionDays"] as const;

export interface FileExpiryPaging {
  /** files one statement reads (and brings forward those that need it): short row locks */
  batchSize: number;
  /** statements per request at most; the purge enforces the retention on the files beyond */
  maxBatches: number;
}
/** at most 100,000 files per request, in statements of 5,000 */
const FILE_EXPIRY_PAGING: FileExpiryPaging = { batchSize: 5_000, maxBatches: 20 };

/**
 * Sets how long an organization's chat logs and files are kept, 1 day up to its tier's
 * retention (null goes back to the tier's), audited with the values before and after.
 *
 * Expiries are written with each row, so a shorter retention must reach the rows already
 * written. The purges do that for both at their next run (they delete what is older than the
 * organization's current retention, whatever expiry it was written with). Files are also shown
 * with their expiry and can be moved within the retention, so theirs are brought forward here,
 * in pages after the change commits, up to a bound per request (a request's time is bounded
 * whatever the organization holds); the files beyond it keep the expiry they show until the
 * purge, which removes them by the new retention all the same, as it does after a crash
 * part-way. Chat logs are left to the purge: there can be millions, and none is shown with a
 * promise of a later expiry. A longer retention applies to what is written after it.
 */
export async function updateRetention(
  deps: { db: Database; clock: Clock },
  input: RetentionOverrides & { organizationId: string; actor: Actor },
  paging: FileExpiryPaging = FILE_EXPIRY_PAGING,
): Promise<OrganizationDetails> {
  const updated = await deps.db.$transaction(async (tx) => {
    const before = await findOrganizationToChange(tx, input.organizationId);
    for (const field of RETENTION_FIELDS) checkRetentionDays(field, input[field], before.tier);
    const changes: Prisma.OrganizationUpdateInput = {
      ...(input.chatLogRetentionDays !== undefined
        ? { chatLogRetentionDays: input.chatLogRetentionDays }
        : {}),
      ...(input.fileRetentionDays !== undefined ? { fileRetentionDays: input.fileRetentionDays } : {}),
    };
    return applyOrganizationChange(tx, deps.clock, {
      before,
      changes,
      action: "organization.retention.update",
      actor: input.actor,
    });
  });
  if (updated.fileRetentionDays !== null) {
    await bringFileExpiryForward(deps.db, updated.id, updated.fileRetentionDays, paging);
  }
  return updated;
}

/** 1 to the tier's days, whole; null and absent are always allowed. */
export function checkRetentionDays(
  field: (typeof RETENTION_FIELDS)[number],
  days: number | null | undefined,
  tier: { name: string; chatLogRetentionDays: number; fileRetentionDays: number },
): void {
  if (days === undefined || days === null) return;
  const tierDays = tier[field];
  if (!Number.isInteger(days) || days < 1 || days > tierDays) {
    throw new DomainError(
      "invalid",
      `Enter a whole number of days from 1 to ${tierDays}, the retention of tier “${tier.name}”.`,
      field,
    );
  }
}

/**
 * Every file of the organization expires at the latest `days` after its creation, the bound
 * the purge applies (and upload, for new files). Pages through the organization's files by
 * (created_at, id), the order of its (organization_id, created_at) index, so each statement
 * starts where the last one stopped instead of rescanning the files already done; stops after
 * `maxBatches` statements. Returns how many files it changed.
 */
async function bringFileExpiryForward(
  db: Database,
  organizationId: string,
  days: number,
  paging: FileExpiryPaging,
): Promise<number> {
  let changed = 0;
  // before every file (none is created before 1970)
  let after = { createdAt: new Date(0), id: "" };
  for (let batch = 0; batch < paging.maxBatches; batch += 1) {
    const [result] = await db.$queryRaw<
      { scanned: number; changed: number; last_created_at: Date | null; last_id: string | null }[]
    >`
      WITH page AS (
        SELECT id, created_at FROM file
         WHERE organization_id = ${organizationId}
           AND (created_at, id) > (${after.createdAt}::timestamp(3), ${after.id})
         ORDER BY created_at, id
         LIMIT ${paging.batchSize}
      ), brought_forward AS (
        UPDATE file f SET expires_at = f.created_at + make_interval(days => ${days}::int)
          FROM page
         WHERE f.id = page.id
           AND (f.expires_at IS NULL OR f.expires_at > f.created_at + make_interval(days => ${days}::int))
        RETURNING f.id
      ), last AS (
        SELECT id, created_at FROM page ORDER BY created_at DESC, id DESC LIMIT 1
      )
      SELECT (SELECT count(*) FROM page)::int AS scanned,
             (SELECT count(*) FROM brought_forward)::int AS changed,
             (SELECT created_at FROM last) AS last_created_at,
             (SELECT id FROM last) AS last_id`;
    changed += result?.changed ?? 0;
    if (!result?.last_created_at || !result.last_id || result.scanned < paging.batchSize) break;
    after = { createdAt: result.last_created_at, id: result.last_id };
  }
  return changed;
}
