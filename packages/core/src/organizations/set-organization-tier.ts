import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { findTierBySlug } from "./find-tier.ts";
import { type OrganizationView, toOrganizationView } from "./organization-view.ts";

/** Moves an organization to another tier; limits read the tier per request, so no restart. */
export async function setOrganizationTier(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; tier: string; actor: Actor },
): Promise<OrganizationView> {
  return deps.db.$transaction(async (tx) => {
    const tier = await findTierBySlug(tx, input.tier);
    const before = await tx.organization.findUnique({
      where: { id: input.organizationId },
      include: { tier: { select: { slug: true } } },
    });
    if (!before) {
      throw new DomainError("not_found", `organization ${input.organizationId} does not exist`, "org");
    }
    const updated = await tx.organization.update({
      where: { id: before.id },
      data: { tierId: tier.id },
      include: { tier: { select: { slug: true } } },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "organization.tier.set",
      target: { type: "organization", id: before.id },
      organizationId: before.id,
      metadata: { from: before.tier.slug, to: tier.slug },
    });
    return toOrganizationView(updated);
  });
}
