import type { Database } from "@dsc/db";
import type { MemberRole, Role } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import { normaliseEmail } from "./email-address.ts";
import { hashPassword } from "./password.ts";
import { assertAcceptablePassword } from "./password-policy.ts";
import { placeMember } from "./place-member.ts";
import { organizationForRole } from "./role-assignment.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

export interface CreateUserInput {
  email: string;
  name?: string | null;
  role: Role;
  /** required for developers (their first organization), ignored for other roles */
  organizationId?: string | null;
  /** their role in that organization; developer when absent */
  memberRole?: MemberRole;
  /** absent: the person is invited and signs in through an identity provider (OIDC, GitHub) */
  password?: string | null;
  /**
   * Whether the dashboard signs people in through an identity provider. When false, a person
   * without a password is refused: nothing could ever sign them in. Absent where the caller
   * cannot know (the CLI, tests), and then not checked.
   */
  hasIdentityProvider?: boolean;
  actor: Actor;
}

/** Adds a dashboard person; the e-mail address is their login and must be unused. */
export async function createUser(
  deps: { db: Database; clock: Clock },
  input: CreateUserInput,
): Promise<UserView> {
  const email = normaliseEmail(input.email);
  const name = input.name?.trim() || null;
  if (name !== null && name.length > 100) {
    throw new DomainError("invalid", "The name must be at most 100 characters.", "name");
  }
  if (input.password) assertAcceptablePassword(input.password);
  else if (input.hasIdentityProvider === false) {
    throw new DomainError(
      "invalid",
      "Set a password. No identity provider (single sign-on or GitHub) is configured, so without one this person could never sign in.",
      "password",
    );
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    return await deps.db.$transaction(async (tx) => {
      const organizationId = await organizationForRole(tx, input.role, input.organizationId);
      const now = deps.clock.now();
      const created = await tx.user.create({
        // the admin who adds a person vouches for their address
        data: {
          id: newId("user"),
          email,
          name,
          role: input.role,
          passwordHash,
          emailVerified: now,
          createdAt: now,
        },
      });
      if (organizationId) {
        const role = input.memberRole ?? "DEVELOPER";
        await placeMember(tx, { userId: created.id, organizationId, role, now });
      }
      const user = await tx.user.findUniqueOrThrow({ where: { id: created.id }, include: USER_VIEW_INCLUDE });
      await recordAuditEvent(tx, deps.clock, {
        actor: input.actor,
        action: "user.create",
        target: { type: "user", id: user.id },
        organizationId,
        // not the e-mail address: the trail is append-only and must outlive an account erasure
        metadata: {
          role: input.role,
          ...(organizationId ? { memberRole: input.memberRole ?? "DEVELOPER" } : {}),
          withPassword: passwordHash !== null,
        },
      });
      return toUserView(user);
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new DomainError("conflict", `${email} already has an account.`, "email");
    }
    throw error;
  }
}
