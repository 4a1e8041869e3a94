import type { Database } from "@dsc/db";
import { SESSION_USER_INCLUDE, type SessionIdentity, toSessionIdentity } from "./session-identity.ts";

/**
 * The person behind a session, read fresh for every request: null once they are deactivated
 * or deleted, or when their password changed after the session began. Role and organization
 * come from here, never from the session cookie, so changes apply at once.
 */
export async function findSessionUser(
  deps: { db: Database },
  input: { userId: string; credentialVersion: string },
): Promise<SessionIdentity | null> {
  const user = await deps.db.user.findUnique({ where: { id: input.userId }, include: SESSION_USER_INCLUDE });
  if (!user || user.deactivatedAt) return null;
  const identity = toSessionIdentity(user);
  return identity.credentialVersion === input.credentialVersion ? identity : null;
}
