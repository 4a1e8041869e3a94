import type { Database } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/**
 * Makes one of a person's organizations the one they work in now. Another organization is
 * answered as if it did not exist.
 */
export async function switchOrganization(
  deps: { db: Database },
  input: { userId: string; organizationId: string },
): Promise<void> {
  const switched = await deps.db.$executeRaw`
    UPDATE "user" SET organization_id = ${input.organizationId}, updated_at = now()
    WHERE id = ${input.userId}
      AND role = 'DEVELOPER'
      AND EXISTS (SELECT 1 FROM membership m WHERE m.user_id = ${input.userId} AND m.organization_id = ${input.organizationId})`;
  if (switched === 0) {
    throw new DomainError(
      "not_found",
      `Organization ${input.organizationId} does not exist.`,
      "organizationId",
    );
  }
}
