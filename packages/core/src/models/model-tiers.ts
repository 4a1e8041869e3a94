import type { Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/** The tiers named by slug, each once; an unknown slug is refused by name. */
export async function findTiersBySlug(
  tx: Prisma.TransactionClient,
  slugs: readonly string[],
): Promise<{ id: string; slug: string }[]> {
  const wanted = [...new Set(slugs.map((slug) => slug.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length > 100) throw new DomainError("invalid", "Name at most 100 tiers.", "tiers");
  const tiers = await tx.tier.findMany({ where: { slug: { in: wanted } }, select: { id: true, slug: true } });
  const missing = wanted.filter((slug) => !tiers.some((tier) => tier.slug === slug));
  if (missing.length > 0) {
    throw new DomainError(
      "invalid",
      `There is no tier ${missing.map((slug) => `"${slug.slice(0, 40)}"`).join(", ")}.`,
      "tiers",
    );
  }
  return tiers;
}
