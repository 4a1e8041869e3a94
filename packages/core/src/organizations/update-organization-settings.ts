import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import {
  applyOrganizationChange,
  findOrganizationToChange,
  type OrganizationDetails,
} from "./organization-details.ts";

export interface OrganizationSettings {
  name?: string;
  /** true: usage counts only, no chat logs and no cached content */
  dataCollectionOptOut?: boolean;
  /** days; null = the tier's. Never longer than the tier's (a legal hold keeps more). */
  chatLogRetentionDays?: number | null;
  fileRetentionDays?: number | null;
}

/**
 * Changes an organization's name, data-collection opt-out and retention. The settings are read
 * per request and by the retention jobs, so they apply from the next API call and purge run.
 */
export async function updateOrganizationSettings(
  deps: { db: Database; clock: Clock },
  input: OrganizationSettings & { organizationId: string; actor: Actor },
): Promise<OrganizationDetails> {
  const name = input.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > 200)) {
    throw new DomainError("invalid", "name must be 1 to 200 characters", "name");
  }
  return deps.db.$transaction(async (tx) => {
    const before = await findOrganizationToChange(tx, input.organizationId);
    for (const field of ["chatLogRetentionDays", "fileRetentionDays"] as const) {
      const days = input[field];
      if (days === undefined || days === null) continue;
      const tierDays = before.tier[field];
      if (!Number.isInteger(days) || days < 1 || days > tierDays) {
        throw new DomainError(
          "invalid",
          `must be a whole number of days from 1 to ${tierDays}, the retention of tier “${before.tier.name}”`,
          field,
        );
      }
    }
    const changes = {
      ...(name !== undefined ? { name } : {}),
      ...(input.dataCollectionOptOut !== undefined
        ? { dataCollectionOptOut: input.dataCollectionOptOut }
        : {}),
      ...(input.chatLogRetentionDays !== undefined
        ? { chatLogRetentionDays: input.chatLogRetentionDays }
        : {}),
      ...(input.fileRetentionDays !== undefined ? { fileRetentionDays: input.fileRetentionDays } : {}),
    };
    return applyOrganizationChange(tx, deps.clock, {
      before,
      changes,
      action: "organization.settings.update",
      actor: input.actor,
    });
  });
}
