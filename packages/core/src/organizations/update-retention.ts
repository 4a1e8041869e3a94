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
/** files whose expiry one statement brings forward: short statements, short row locks */
const FILE_EXPIRY_BATCH = 1_000;

/**
 * Sets how long an organization's chat logs and files are kept, 1 day up to its tier's
 * retention (null goes back to the tier's), audited with the values before and after.
 *
 * Expiries are written with each row, so a shorter retention must reach the rows already
 * written. The purges do that for both at their next run (they delete what is older than the
 * organization's current retention, whatever expiry it was written with). Files are also shown
 * with their expiry and can be moved within the retention, so theirs are brought forward here,
 * in batches after the change commits; a crash part-way changes nothing the purge does not
 * already enforce. Chat logs are left to the purge: there can be millions, and none is shown
 * with a promise of a later expiry. A longer retention applies to what is written after it.
 */
export async function updateRetention(
  deps: { db: Database; clock: Clock },
  input: RetentionOverrides & { organizationId: string; actor: Actor },
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
    await bringFileExpiryForward(deps.db, updated.id, updated.fileRetentionDays);
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
 * the purge applies (and upload, for new files); in batches, each a short statement.
 */
async function bringFileExpiryForward(db: Database, organizationId: string, days: number): Promise<number> {
  let changed = 0;
  for (;;) {
    const count = await db.$executeRaw`
      UPDATE file SET expires_at = created_at + make_interval(days => ${days}::int)
       WHERE id IN (
         SELECT id FROM file
          WHERE organization_id = ${organizationId}
            AND (expires_at IS NULL OR expires_at > created_at + make_interval(days => ${days}::int))
          LIMIT ${FILE_EXPIRY_BATCH})`;
    changed += count;
    if (count < FILE_EXPIRY_BATCH) return changed;
  }
}
