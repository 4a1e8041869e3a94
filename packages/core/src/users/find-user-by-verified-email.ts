import type { Database } from "@dsc/db";
import { SESSION_USER_INCLUDE, type SessionIdentity, toSessionIdentity } from "./session-identity.ts";

/**
 * The active person an identity provider (OIDC, GitHub) vouched for by a verified e-mail
 * address. Providers never create accounts: an admin adds (invites) the person first.
 */
export async function findUserByVerifiedEmail(
  deps: { db: Database },
  input: { email: string },
): Promise<SessionIdentity | null> {
  const user = await deps.db.user.findUnique({
    where: { email: input.email.trim().toLowerCase() },
    include: SESSION_USER_INCLUDE,
  });
  if (!user || user.deactivatedAt) return null;
  return toSessionIdentity(user);
}
