import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { assertValidTierLimits, type TierLimits } from "./tier-limits.ts";
import { TIER_VIEW_INCLUDE, type TierView, toTierView } from "./tier-view.ts";

export const TIER_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** A custom plan; its slug is what `dsc-admin tier set --tier` and the API settings name. */
export async function createTier(
  deps: { db: Database; clock: Clock },
  input: TierLimits & { slug: string; actor: Actor },
): Promise<TierView> {
  const slug = input.slug.trim().toLowerCase();
  if (!TIER_SLUG_PATTERN.test(slug)) {
    throw new DomainError(
      "invalid",
      "The slug must be 1 to 40 lower-case letters, digits or dashes, not starting or ending with a dash.",
      "slug",
    );
  }
  assertValidTierLimits(input);
  try {
    return await deps.db.$transaction(async (tx) => {
      // until models are managed per tier, a new plan may call every enabled model: without any,
      // each organization moved onto it would get model_not_found for everything
      const models = await tx.model.findMany({ where: { isEnabled: true }, select: { id: true } });
      const tier = await tx.tier.create({
        data: {
          id: `tier_${slug.replaceAll("-", "_")}`,
          slug,
          name: input.name.trim(),
          requestsPerMinute: input.requestsPerMinute,
          tokensPerMinute: input.tokensPerMinute,
          monthlyTokenQuota: input.monthlyTokenQuota === null ? null : BigInt(input.monthlyTokenQuota),
          maxFileBytes: BigInt(input.maxFileBytes),
          maxStorageBytes: input.maxStorageBytes === null ? null : BigInt(input.maxStorageBytes),
          chatLogRetentionDays: input.chatLogRetentionDays,
          fileRetentionDays: input.fileRetentionDays,
          isCustom: true,
          createdAt: deps.clock.now(),
          models: { connect: models },
        },
        include: TIER_VIEW_INCLUDE,
      });
      const view = toTierView(tier);
      await recordAuditEvent(tx, deps.clock, {
        actor: input.actor,
        action: "tier.create",
        target: { type: "tier", id: view.id },
        metadata: { slug, ...limitsOf(view) },
      });
      return view;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new DomainError("conflict", `A tier "${slug}" already exists.`, "slug");
    }
    throw error;
  }
}

export function limitsOf(tier: TierView): TierLimits {
  return {
    name: tier.name,
    requestsPerMinute: tier.requestsPerMinute,
    tokensPerMinute: tier.tokensPerMinute,
    monthlyTokenQuota: tier.monthlyTokenQuota,
    maxFileBytes: tier.maxFileBytes,
    maxStorageBytes: tier.maxStorageBytes,
    chatLogRetentionDays: tier.chatLogRetentionDays,
    fileRetentionDays: tier.fileRetentionDays,
  };
}
