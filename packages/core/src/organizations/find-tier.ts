import type { Database, Prisma, Tier } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/** A tier by its slug (`free`, `pro`, custom ones). */
export async function findTierBySlug(db: Database | Prisma.TransactionClient, slug: string): Promise<Tier> {
  const tier = await db.tier.findUnique({ where: { slug } });
  if (!tier) {
    const known = (await db.tier.findMany({ select: { slug: true }, orderBy: { slug: "asc" } }))
      .map((t) => t.slug)
      .join(", ");
    throw new DomainError("invalid", `unknown tier "${slug}" (known: ${known})`, "tier");
  }
  return tier;
}
