import type { Database, Prisma } from "@dsc/db";
import type { MemberRole, Role } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import {
  assertAnotherOwner,
  assertCanOwn,
  lockMembershipsOf,
  lockOrganizationMembers,
} from "./organization-owners.ts";
import { placeMember } from "./place-member.ts";
import { assertAnotherActiveAdmin, organizationForRole } from "./role-assignment.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

export interface SetUserRoleInput {
  userId: string;
  role: Role;
  /** an organization the developer joins (or already belongs to) and works in; ignored for other roles */
  organizationId?: string | null;
  /** their role there; when absent, the one they have there already, or developer */
  memberRole?: MemberRole;
  actor: Actor;
}

/**
 * Changes what a person may do, and for developers which organization they join and work in. Sessions read
 * the role per request, so the change applies to their next click. Nobody changes their own
 * role (another admin must), and the last active admin stays an admin.
 */
export async function setUserRole(
  deps: { db: Database; clock: Clock },
  input: SetUserRoleInput,
): Promise<UserView> {
  if (input.actor.type === "USER" && input.actor.id === input.userId) {
    throw new DomainError("forbidden", "You cannot change your own role. Ask another admin.", "userId");
  }
  return deps.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: input.userId } });
    if (!before) throw new DomainError("not_found", `Person ${input.userId} does not exist.`, "userId");
    if (before.role === "ADMIN" && input.role !== "ADMIN") await assertAnotherActiveAdmin(tx, before.id);
    const organizationId = await organizationForRole(tx, input.role, input.organizationId);
    const memberRole = organizationId
      ? await memberRoleAfter(tx, { userId: before.id, organizationId, memberRole: input.memberRole })
      : null;
    if (!organizationId) await assertOwnedOrganizationsKeepOwners(tx, before.id);
    await tx.user.update({ where: { id: before.id }, data: { role: input.role, organizationId: null } });
    if (organizationId && memberRole) {
      await placeMember(tx, { userId: before.id, organizationId, role: memberRole, now: deps.clock.now() });
    } else {
      // a platform role sees every organization through the role, never through a membership
      await tx.membership.deleteMany({ where: { userId: before.id } });
    }
    const updated = await tx.user.findUniqueOrThrow({ where: { id: before.id }, include: USER_VIEW_INCLUDE });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "user.role.set",
      target: { type: "user", id: before.id },
      organizationId: organizationId ?? before.organizationId,
      metadata: {
        from: { role: before.role, organizationId: before.organizationId },
        to: {
          role: input.role,
          organizationId,
          ...(memberRole ? { memberRole } : {}),
        },
      },
    });
    return toUserView(updated);
  });
}

/**
 * The person's role in the organization they are placed in: the one asked for, else the one
 * they have there already, else developer. Taking an organization's last owner's ownership
 * away is refused, as the members' own rules refuse it.
 */
async function memberRoleAfter(
  tx: Prisma.TransactionClient,
  input: { userId: string; organizationId: string; memberRole: MemberRole | undefined },
): Promise<MemberRole> {
  await lockOrganizationMembers(tx, input.organizationId);
  const current = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } },
    select: { role: true, organization: { select: { name: true } } },
  });
  const role = input.memberRole ?? current?.role ?? "DEVELOPER";
  if (role === "OWNER" && current?.role !== "OWNER") {
    await assertCanOwn(tx, { userId: input.userId, param: "memberRole" });
  }
  if (current?.role === "OWNER" && role !== "OWNER") {
    await assertAnotherOwner(tx, {
      organizationId: input.organizationId,
      userId: input.userId,
      message: lastOwnerMessage(current.organization.name),
      param: "memberRole",
    });
  }
  return role;
}

/** A platform role leaves every organization: none of them may be left without an owner. */
async function assertOwnedOrganizationsKeepOwners(
  tx: Prisma.TransactionClient,
  userId: string,
): Promise<void> {
  await lockMembershipsOf(tx, userId);
  const owned = await tx.membership.findMany({
    where: { userId, role: "OWNER" },
    select: { organizationId: true, organization: { select: { name: true } } },
    orderBy: { organizationId: "asc" },
  });
  for (const { organizationId, organization } of owned) {
    await assertAnotherOwner(tx, {
      organizationId,
      userId,
      message: lastOwnerMessage(organization.name),
      param: "role",
    });
  }
}

function lastOwnerMessage(organizationName: string): string {
  return `This person is the last owner of ${organizationName}. Make another member its owner first.`;
}
