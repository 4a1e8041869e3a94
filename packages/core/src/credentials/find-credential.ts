import type { Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import {
  type CredentialKind,
  type CredentialRecord,
  type CredentialType,
  toCredentialRecord,
} from "./credential-kind.ts";

/** The credential with this id; one of another organization than `organizationId` (when given) is not found. */
export async function findCredential<T extends CredentialType>(
  kind: CredentialKind<T>,
  tx: Prisma.TransactionClient,
  id: string,
  organizationId: string | undefined,
): Promise<CredentialRecord> {
  const row = await kind.table(tx).findFirst({
    where: { id, ...(organizationId ? { organizationId } : {}) },
  });
  if (!row) throw new DomainError("not_found", `${kind.noun} ${id} does not exist`, "id");
  return toCredentialRecord(kind, row);
}
