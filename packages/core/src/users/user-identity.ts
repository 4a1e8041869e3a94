import type { User } from "@dsc/db";
import type { Role } from "@dsc/vocabulary";

/** Who a dashboard person is: what a session carries and what every view of them starts with. */
export interface UserIdentity {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** set for developers: the one organization they may see */
  organizationId: string | null;
}

export function toUserIdentity(user: User): UserIdentity {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organizationId,
  };
}
