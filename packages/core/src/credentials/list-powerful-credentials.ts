import type { Database } from "@dsc/db";
import { isPowerfulScope, POWERFUL_SCOPES, type PowerfulScope } from "@dsc/vocabulary";
import { assertOrganizationExists } from "../organizations/assert-organization-exists.ts";
import type { Clock } from "../time/clock.ts";
import type { CredentialKind, CredentialType } from "./credential-kind.ts";
import { API_KEYS, OAUTH_CLIENTS } from "./credential-kinds.ts";
import { credentialStateFilter } from "./credential-state-filter.ts";

/** A credential that can erase end users or export their data, as compliance reviews it. */
export interface PowerfulCredential {
  type: CredentialType;
  /** the key id, or the `client_id` */
  id: string;
  name: string;
  scopes: string[];
  /** the scopes that make it powerful */
  powerfulScopes: PowerfulScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/**
 * The organization's working keys and clients that hold `users:delete` or `users:export`, newest
 * first: who can erase its end users or export their conversations right now. Revoked and
 * expired ones can do neither and are left out.
 */
export async function listPowerfulCredentials(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string },
): Promise<PowerfulCredential[]> {
  await assertOrganizationExists(deps.db, input.organizationId);
  const now = deps.clock.now();
  const ofKind = async <T extends CredentialType>(kind: CredentialKind<T>) => {
    const rows = (await kind.table(deps.db).findMany({
      where: {
        organizationId: input.organizationId,
        scopes: { hasSome: [...POWERFUL_SCOPES] },
        ...credentialStateFilter("active", now),
      },
      select: { id: true, name: true, scopes: true, createdAt: true, lastUsedAt: true, expiresAt: true },
      // bounded: an organization with more powerful credentials than this has a bigger problem
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 500,
    })) as Omit<PowerfulCredential, "type" | "powerfulScopes">[];
    return rows.map((row) => ({
      type: kind.type,
      ...row,
      powerfulScopes: row.scopes.filter(isPowerfulScope),
    }));
  };
  const found = [...(await ofKind(API_KEYS)), ...(await ofKind(OAUTH_CLIENTS))];
  return found.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
}
