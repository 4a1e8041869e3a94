import type { Database } from "@dsc/db";
import type { CredentialState } from "@dsc/vocabulary";
import { type CursorPage, pageQuery, pageSize, toCursorPage } from "../paging/cursor-page.ts";
import type { Clock } from "../time/clock.ts";
import { type CredentialKind, type CredentialType, toCredentialRecord } from "./credential-kind.ts";
import { credentialStateFilter } from "./credential-state-filter.ts";
import { type CredentialView, toCredentialView } from "./credential-view.ts";

export interface SearchCredentialsInput {
  /** one organization's credentials; absent = every organization's (admins and compliance only) */
  organizationId?: string;
  state?: CredentialState;
  limit?: number;
  /** the id of the last credential of the previous page */
  after?: string;
}

export type CredentialPage<T extends CredentialType> = CursorPage<
  CredentialView<T> & { organizationName: string }
>;

/** Keys or clients newest first, filtered by organization and state, in pages (the dashboard's list). */
export async function searchCredentials<T extends CredentialType>(
  kind: CredentialKind<T>,
  deps: { db: Database; clock: Clock },
  input: SearchCredentialsInput,
): Promise<CredentialPage<T>> {
  const now = deps.clock.now();
  const limit = pageSize(input.limit);
  const rows = (await kind.table(deps.db).findMany({
    where: {
      ...(input.organizationId !== undefined ? { organizationId: input.organizationId } : {}),
      ...credentialStateFilter(input.state, now),
    },
    include: { organization: { select: { name: true } } },
    ...pageQuery(limit, input.after),
  })) as { id: string; organization: { name: string } }[];
  return toCursorPage(rows, limit, (row) => ({
    ...toCredentialView(kind, toCredentialRecord(kind, row), now),
    organizationName: row.organization.name,
  }));
}
