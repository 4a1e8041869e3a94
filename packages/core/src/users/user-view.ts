import type { Organization, User } from "@dsc/db";
import { toUserIdentity, type UserIdentity } from "./user-identity.ts";

/** A dashboard person as they may be shown: never the password hash. */
export interface UserView extends UserIdentity {
  organizationName: string | null;
  /** false for people who sign in only through an identity provider */
  hasPassword: boolean;
  /** an admin set their password, and they have not chosen their own yet */
  mustChangePassword: boolean;
  isActive: boolean;
  deactivatedAt: Date | null;
  createdAt: Date;
}

export function toUserView(user: User & { organization: Pick<Organization, "name"> | null }): UserView {
  return {
    ...toUserIdentity(user),
    organizationName: user.organization?.name ?? null,
    hasPassword: user.passwordHash !== null,
    mustChangePassword: user.mustChangePassword,
    isActive: user.deactivatedAt === null,
    deactivatedAt: user.deactivatedAt,
    createdAt: user.createdAt,
  };
}

export const USER_VIEW_INCLUDE = { organization: { select: { name: true } } } as const;
