import type { Actor } from "@dsc/core";
import { TRPCError } from "@trpc/server";
import type { SessionUser } from "./context.ts";

/**
 * The one organization a developer may see, or null for roles that see every organization.
 * Procedures pass it to core, whose queries filter by it: a check missed here still cannot
 * cross tenants. A developer who belongs to no organization may see nothing.
 */
export function ownOrganization(user: SessionUser): string | null {
  if (user.role !== "DEVELOPER") return null;
  if (!user.organizationId) {
    throw new TRPCError({ code: "FORBIDDEN", message: "your account belongs to no organization" });
  }
  return user.organizationId;
}

/** Refuses a developer acting on another organization, as if it did not exist. */
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
