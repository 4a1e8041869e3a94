import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import { findTierBySlug } from "./find-tier.ts";
import { type OrganizationView, toOrganizationView } from "./organization-view.ts";

export interface CreateOrganizationInput {
  name: string;
  tier: string;
  actor: Actor;
}

export async function createOrganization(
  deps: { db: Database; clock: Clock },
  input: CreateOrganizationInput,
): Promise<OrganizationView> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    throw new DomainError("invalid", "The name must be 1 to 200 characters.", "name");
  }
  const org = await deps.db.$transaction(async (tx) => {
    const tier = await findTierBySlug(tx, input.tier);
    const created = await tx.organization.create({
      data: { id: newId("organization"), name, tierId: tier.id, createdAt: deps.clock.now() },
      include: { tier: { select: { slug: true } } },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "organization.create",
      target: { type: "organization", id: created.id },
      organizationId: created.id,
      metadata: { name, tier: tier.slug },
    });
    return created;
  });
  return toOrganizationView(org);
}
