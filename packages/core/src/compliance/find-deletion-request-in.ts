import type { DeletionRequest, DeletionStatus, Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/**
 * The deletion request a person acts on, refused unless it is in one of the statuses the action
 * applies to (`expected` says which, for the message): not found, or a conflict naming both.
 */
export async function findDeletionRequestIn(
  tx: Prisma.TransactionClient,
  id: string,
  statuses: readonly DeletionStatus[],
  expected: string,
): Promise<DeletionRequest> {
  const request = await tx.deletionRequest.findUnique({ where: { id } });
  if (!request) throw new DomainError("not_found", `No deletion request with id '${id}'.`, "id");
  if (!statuses.includes(request.status)) {
    throw new DomainError(
      "conflict",
      `deletion request ${request.id} is ${request.status}, not ${expected}`,
      "id",
    );
  }
  return request;
}
