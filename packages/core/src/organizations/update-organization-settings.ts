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
}

/**
 * Changes an organization's name and data-collection opt-out, read per request, so they apply
 * from the next API call. Retention has its own use case (updateRetention), which admins and
 * compliance officers share.
 */
export async function updateOrganizationSettings(
  deps: { db: Database; clock: Clock },
  input: OrganizationSettings & { organizationId: string; actor: Actor },
): Promise<OrganizationDetails> {
  const name = input.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > 200)) {
    throw new DomainError("invalid", "The name must be 1 to 200 characters.", "name");
  }
  return deps.db.$transaction(async (tx) => {
    const before = await findOrganizationToChange(tx, input.organizationId);
    const changes = {
      ...(name !== undefined ? { name } : {}),
      ...(input.dataCollectionOptOut !== undefined
        ? { dataCollectionOptOut: input.dataCollectionOptOut }
        : {}),
    };
    return applyOrganizationChange(tx, deps.clock, {
      before,
      changes,
      action: "organization.settings.update",
      actor: input.actor,
    });
  });
}
