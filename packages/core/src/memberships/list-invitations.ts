import type { Database } from "@dsc/db";
import type { MemberRole } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { displayName } from "./member-rules.ts";

export interface PendingInvitation {
  id: string;
  email: string;
  role: MemberRole;
  /** the inviter's name or address; null once their account is gone */
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * An organization's invitations still waiting for an answer, newest first. With `visibleTo`,
 * another organization's are reported as not found.
 */
export async function listInvitations(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; visibleTo?: string | null },
): Promise<PendingInvitation[]> {
  if (input.visibleTo != null && input.visibleTo !== input.organizationId) {
    throw new DomainError(
      "not_found",
      `Organization ${input.organizationId} does not exist.`,
      "organizationId",
    );
  }
  const invitations = await deps.db.accountToken.findMany({
    where: {
      purpose: "INVITATION",
      organizationId: input.organizationId,
      usedAt: null,
      expiresAt: { gt: deps.clock.now() },
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 500,
  });
  const inviterIds = [...new Set(invitations.flatMap((row) => (row.createdById ? [row.createdById] : [])))];
  const inviters = await deps.db.user.findMany({
    where: { id: { in: inviterIds } },
    select: { id: true, name: true, email: true },
  });
  const nameOf = new Map(inviters.map((inviter) => [inviter.id, displayName(inviter)]));
  return invitations.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.memberRole ?? "DEVELOPER",
    invitedBy: row.createdById ? (nameOf.get(row.createdById) ?? null) : null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  }));
}
