import type { Prisma } from "@dsc/db";
import type { MemberRole } from "@dsc/vocabulary";

/**
 * Makes a person a member of an organization with a role (or gives an existing member that
 * role), and makes it the organization they work in now.
 */
export async function placeMember(
  tx: Prisma.TransactionClient,
  input: { userId: string; organizationId: string; role: MemberRole; now: Date },
): Promise<void> {
  await tx.membership.upsert({
    where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } },
    create: {
      organizationId: input.organizationId,
      userId: input.userId,
      role: input.role,
      createdAt: input.now,
    },
    update: { role: input.role },
  });
  await tx.user.update({ where: { id: input.userId }, data: { organizationId: input.organizationId } });
}
