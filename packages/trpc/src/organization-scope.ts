import { type Actor, isMemberRole } from "@dsc/core";
import { TRPCError } from "@trpc/server";
import type { SessionUser } from "./context.ts";

/**
 * The one organization a member (owner, developer, viewer) may see: the one they work in now;
 * null for platform roles, which see every organization. Procedures pass it to core, whose
 * queries filter by it: a check missed here still cannot cross tenants.
 */
export function ownOrganization(user: SessionUser): string | null {
  if (!isMemberRole(user.role)) return null;
  if (!user.organizationId) {
    throw new TRPCError({ code: "FORBIDDEN", message: "your account belongs to no organization" });
  }
  return user.organizationId;
}

/**
 * Keys and OAuth clients need a verified address: a person who signed up proves they receive
 * mail there before anything of theirs can call the API.
 */
export function assertVerifiedEmail(user: SessionUser): void {
  // platform roles are added by an admin (or are the first admin), never signed up
  if (isMemberRole(user.role) && user.emailVerified === false) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message:
        "Verify your e-mail address first: follow the link we sent you, or send a new one from Getting started.",
    });
  }
}

/** Refuses a member acting on another organization, as if it did not exist. */
export function assertVisibleOrganization(user: SessionUser, organizationId: string): void {
  const own = ownOrganization(user);
  if (own !== null && own !== organizationId) {
    throw new TRPCError({ code: "NOT_FOUND", message: `organization ${organizationId} does not exist` });
  }
}

/** The signed-in person as the author of an audited change. */
export function actorOf(ctx: { user: SessionUser; origin: string }): Actor {
  return { type: "USER", id: ctx.user.id, origin: ctx.origin };
}
