import type { Database, Prisma } from "@dsc/db";
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

export interface OAuthClientPage {
  items: (OAuthClientView & { organizationName: string })[];
  /** pass as `after` for the next page; null on the last page */
  nextCursor: string | null;
}

/** Clients newest first, filtered by organization and state, in pages (the dashboard's list). */
export async function searchOAuthClients(
  deps: { db: Database; clock: Clock },
  input: SearchOAuthClientsInput,
): Promise<OAuthClientPage> {
  const now = deps.clock.now();
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  const clients = await deps.db.oAuthClient.findMany({
    where: {
      ...(input.organizationId !== undefined ? { organizationId: input.organizationId } : {}),
      ...stateFilter(input.state, now),
    },
    include: { organization: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(input.after ? { cursor: { id: input.after }, skip: 1 } : {}),
  });
  const page = clients.slice(0, limit);
  return {
    items: page.map(({ organization, ...client }) => ({
      ...toOAuthClientView(client, now),
      organizationName: organization.name,
    })),
    nextCursor: clients.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

function stateFilter(state: OAuthClientState | undefined, now: Date): Prisma.OAuthClientWhereInput {
  switch (state) {
    case "active":
      return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
    case "expired":
      return { revokedAt: null, expiresAt: { lte: now } };
    case "revoked":
      return { revokedAt: { not: null } };
    default:
      return {};
  }
}
