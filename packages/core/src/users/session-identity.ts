import type { User } from "@dsc/db";
import type { Role } from "@dsc/vocabulary";
import { credentialVersion } from "./credential-version.ts";

/** Who a signed-in person is, as their session and every dashboard request see them. */
export interface SessionIdentity {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** set for developers: the one organization they may see */
  organizationId: string | null;
  /** changes with the password and when signing out everywhere; a session with an older one is over */
  credentialVersion: string;
}

export function toSessionIdentity(user: User): SessionIdentity {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organizationId,
    credentialVersion: credentialVersion(user),
  };
}
