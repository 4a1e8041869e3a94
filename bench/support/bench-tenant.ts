import { cliActor, createApiKey, createOrganization, systemClock } from "@dsc/core";
import type { Database } from "@dsc/db";

/** An organization on a tier whose limits are checked on every request but never refuse one, and its key. */
export interface BenchTenant {
  organizationId: string;
  keyId: string;
  /** the key's secret, for `authorization: Bearer ...` */
  secret: string;
}

export async function createBenchTenant(
  db: Database,
  input: { pepper: string; model: string },
): Promise<BenchTenant> {
  await db.tier.create({
    data: {
      id: "tier_bench",
      slug: "bench",
      name: "Bench",
      requestsPerMinute: 100_000_000,
      tokensPerMinute: 1_000_000_000,
      monthlyTokenQuota: null,
      maxFileBytes: 1024n,
      isCustom: true,
      models: { connect: { id: input.model } },
    },
  });
  const deps = { db, clock: systemClock, pepper: input.pepper };
  const org = await createOrganization(deps, { name: "Bench", tier: "bench", actor: cliActor("bench") });
  const { key, secret } = await createApiKey(deps, {
    organizationId: org.id,
    scopes: ["chat"],
    actor: cliActor("bench"),
  });
  return { organizationId: org.id, keyId: key.id, secret };
}
