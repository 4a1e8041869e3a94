import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { type CredentialKind, type CredentialType, toCredentialRecord } from "./credential-kind.ts";
import { type CredentialView, toCredentialView } from "./credential-view.ts";

/** The organization's keys or clients, newest first. */
export async function listCredentials<T extends CredentialType>(
  kind: CredentialKind<T>,
  deps: { db: Database; clock: Clock },
  input: { organizationId: string },
): Promise<CredentialView<T>[]> {
  const rows = await kind.table(deps.db).findMany({
    where: { organizationId: input.organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const now = deps.clock.now();
  return rows.map((row) => toCredentialView(kind, toCredentialRecord(kind, row), now));
}
