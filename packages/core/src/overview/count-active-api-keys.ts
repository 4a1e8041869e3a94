import type { Database } from "@dsc/db";
import { credentialStateFilter } from "../credentials/credential-state-filter.ts";
import type { Clock } from "../time/clock.ts";

/**
 * API keys that work now (not revoked, not expired): one organization's, or every
 * organization's when `organizationId` is null. One count over the (organization, created)
 * index for an organization; the platform's count reads the key table, thousands of rows.
 */
export async function countActiveApiKeys(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string | null },
): Promise<number> {
  return deps.db.apiKey.count({
    where: {
      ...(input.organizationId === null ? {} : { organizationId: input.organizationId }),
      ...credentialStateFilter("active", deps.clock.now()),
    },
  });
}
