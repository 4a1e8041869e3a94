import { randomUUID } from "node:crypto";
import type { Database } from "./client.ts";

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;

/** The plans every installation starts with. Admins may edit them; seeding never overwrites. */
export const SEED_TIERS = [
  {
    id: "tier_free",
    slug: "free",
    name: "Free",
    requestsPerMinute: 5,
    tokensPerMinute: 20_000,
    monthlyTokenQuota: 1_000_000n,
    maxFileBytes: 10n * MiB,
    maxStorageBytes: 100n * MiB,
    chatLogRetentionDays: 30,
    fileRetentionDays: 7,
  },
  {
    id: "tier_pro",
    slug: "pro",
    name: "Pro",
    requestsPerMinute: 60,
    tokensPerMinute: 200_000,
    monthlyTokenQuota: null,
    maxFileBytes: 512n * MiB,
    maxStorageBytes: 20n * GiB,
    chatLogRetentionDays: 30,
    fileRetentionDays: 7,
  },
] as const;

export const DEFAULT_MODEL_ID = "deepseek-chst-1.0";

/**
 * Creates the seeded tiers and the default model when they are missing. Idempotent, and
 * never changes rows that already exist, so admins' edits survive restarts.
 */
export async function seedReferenceData(db: Database): Promise<void> {
  for (const tier of SEED_TIERS) {
    await db.tier.upsert({ where: { slug: tier.slug }, create: tier, update: {} });
  }
  await db.model.upsert({
    where: { id: DEFAULT_MODEL_ID },
    create: {
      id: DEFAULT_MODEL_ID,
      // the default upstream when one is configured, else the built-in local model
      provider: "OPENAI_COMPATIBLE",
      ownedBy: "deepseek-chat-platform",
      contextWindow: 8192,
      tiers: { connect: SEED_TIERS.map((tier) => ({ slug: tier.slug })) },
      // no base URL: UPSTREAM_BASE_URL when set, else the built-in model
      deployments: { create: { id: `dep_${randomUUID().replaceAll("-", "").slice(0, 24)}` } },
    },
    update: {},
  });
}
