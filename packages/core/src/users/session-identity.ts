import type { User } from "@dsc/db";
import { credentialVersion } from "./credential-version.ts";
import { toUserIdentity, type UserIdentity } from "./user-identity.ts";

/** Who a signed-in person is, as their session and every dashboard request see them. */
export interface SessionIdentity extends UserIdentity {
  /** changes with the password and when signing out everywhere; a session with an older one is over */
  credentialVersion: string;
  /** an admin set their password: until they choose their own, only their account page works */
  mustChangePassword: boolean;
}

export function toSessionIdentity(user: User): SessionIdentity {
  return {
    ...toUserIdentity(user),
    credentialVersion: credentialVersion(user),
    mustChangePassword: user.mustChangePassword,
  };
}
