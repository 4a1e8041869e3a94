import type { Database } from "@dsc/db";
import { credentialStateFilter } from "../keys/credential-state-filter.ts";
import { type CursorPage, pageQuery, pageSize, toCursorPage } from "../paging/cursor-page.ts";
import type { Clock } from "../time/clock.ts";
import { type OAuthClientState, type OAuthClientView, toOAuthClientView } from "./oauth-client-view.ts";

export interface SearchOAuthClientsInput {
  /** one organization's clients; absent = every organization's (admins and compliance only) */
  organizationId?: string;
  state?: OAuthClientState;
  limit?: number;
  /** the id of the last client of the previous page */
  after?: string;
}

export type OAuthClientPage = CursorPage<OAuthClientView & { organizationName: string }>;

/** Clients newest first, filtered by organization and state, in pages (the dashboard's list). */
export async function searchOAuthClients(
  deps: { db: Database; clock: Clock },
  input: SearchOAuthClientsInput,
): Promise<OAuthClientPage> {
  const now = deps.clock.now();
  const limit = pageSize(input.limit);
  const clients = await deps.db.oAuthClient.findMany({
    where: {
      ...(input.organizationId !== undefined ? { organizationId: input.organizationId } : {}),
      ...credentialStateFilter(input.state, now),
    },
    include: { organization: { select: { name: true } } },
    ...pageQuery(limit, input.after),
  });
  return toCursorPage(clients, limit, ({ organization, ...client }) => ({
    ...toOAuthClientView(client, now),
    organizationName: organization.name,
  }));
}
