import { randomBytes } from "node:crypto";
import type { Database } from "@dsc/db";

/**
 * A custom tier of a test's own, serving the default model; its slug goes to
 * `createOrgWithKey({ tier })`. Null token limits and quota mean unlimited.
 */
export async function createCustomTier(
  db: Database,
  limits: { requestsPerMinute: number; tokensPerMinute?: number | null; monthlyTokenQuota?: number | null },
): Promise<string> {
  const slug = `test-${randomBytes(5).toString("hex")}`;
  await db.tier.create({
    data: {
      id: `tier_${slug.replaceAll("-", "_")}`,
      slug,
      name: slug,
      requestsPerMinute: limits.requestsPerMinute,
      tokensPerMinute: limits.tokensPerMinute ?? null,
      monthlyTokenQuota:
        limits.monthlyTokenQuota === undefined || limits.monthlyTokenQuota === null
          ? null
          : BigInt(limits.monthlyTokenQuota),
      maxFileBytes: 1024n * 1024n,
      isCustom: true,
      models: { connect: { id: "deepseek-chst-1.0" } },
    },
  });
  return slug;
}
