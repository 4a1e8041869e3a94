import type { Database } from "@dsc/db";
import { randomBase62 } from "../ids/public-id.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { PASSWORD_MAX_LENGTH } from "./password-policy.ts";
import { SESSION_USER_INCLUDE, type SessionIdentity, toSessionIdentity } from "./session-identity.ts";

export type PasswordSignIn =
  | { outcome: "signed_in"; user: SessionIdentity }
  | { outcome: "invalid" }
  | { outcome: "deactivated" };

let decoyHash: Promise<string> | undefined;

/**
 * Checks an e-mail address and password. Unknown addresses cost the same argon2 work as known
 * ones, so response times do not tell which addresses have accounts; a deactivated account is
 * named only after its correct password.
 */
export async function authenticateWithPassword(
  deps: { db: Database },
  input: { email: string; password: string },
): Promise<PasswordSignIn> {
  const email = input.email.trim().toLowerCase();
  if (email.length === 0 || email.length > 254 || input.password.length > PASSWORD_MAX_LENGTH) {
    return { outcome: "invalid" };
  }
  const user = await deps.db.user.findUnique({ where: { email }, include: SESSION_USER_INCLUDE });
  if (!user?.passwordHash) {
    decoyHash ??= hashPassword(randomBase62(24));
    await verifyPassword(await decoyHash, input.password);
    return { outcome: "invalid" };
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) return { outcome: "invalid" };
  if (user.deactivatedAt) return { outcome: "deactivated" };
  return { outcome: "signed_in", user: toSessionIdentity(user) };
}
