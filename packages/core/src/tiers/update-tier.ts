import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { limitsOf } from "./create-tier.ts";
import { assertValidTierLimits, type TierLimits } from "./tier-limits.ts";
import { TIER_VIEW_INCLUDE, type TierView, toTierView } from "./tier-view.ts";

/**
 * Changes a tier's limits. The gateway reads the tier on every request, so the new limits
 * apply to the next API call of every organization on it, without a restart. The audit
 * record keeps the values before and after.
 */
export async function updateTier(
  deps: { db: Database; clock: Clock },
  input: Partial<TierLimits> & { tierId: string; actor: Actor },
): Promise<TierView> {
  assertValidTierLimits(input);
  return deps.db.$transaction(async (tx) => {
    const before = await tx.tier.findUnique({ where: { id: input.tierId }, include: TIER_VIEW_INCLUDE });
    if (!before) throw new DomainError("not_found", `tier ${input.tierId} does not exist`, "tierId");
    const updated = await tx.tier.update({
      where: { id: before.id },
      data: {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.requestsPerMinute !== undefined ? { requestsPerMinute: input.requestsPerMinute } : {}),
        ...(input.tokensPerMinute !== undefined ? { tokensPerMinute: input.tokensPerMinute } : {}),
        ...(input.monthlyTokenQuota !== undefined
          ? { monthlyTokenQuota: input.monthlyTokenQuota === null ? null : BigInt(input.monthlyTokenQuota) }
          : {}),
        ...(input.maxFileBytes !== undefined ? { maxFileBytes: BigInt(input.maxFileBytes) } : {}),
        ...(input.maxStorageBytes !== undefined
          ? { maxStorageBytes: input.maxStorageBytes === null ? null : BigInt(input.maxStorageBytes) }
          : {}),
        ...(input.chatLogRetentionDays !== undefined
          ? { chatLogRetentionDays: input.chatLogRetentionDays }
          : {}),
        ...(input.fileRetentionDays !== undefined ? { fileRetentionDays: input.fileRetentionDays } : {}),
      },
      include: TIER_VIEW_INCLUDE,
    });
    const from = limitsOf(toTierView(before));
    const to = limitsOf(toTierView(updated));
    const changed = (Object.keys(to) as (keyof TierLimits)[]).filter((field) => from[field] !== to[field]);
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "tier.update",
      target: { type: "tier", id: before.id },
      metadata: {
        slug: before.slug,
        from: Object.fromEntries(changed.map((field) => [field, from[field]])),
        to: Object.fromEntries(changed.map((field) => [field, to[field]])),
      },
    });
    return toTierView(updated);
  });
}
