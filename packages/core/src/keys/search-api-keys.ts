import type { Database, Prisma } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { type ApiKeyState, type ApiKeyView, toApiKeyView } from "./api-key-view.ts";

export interface SearchApiKeysInput {
  /** one organization's keys; absent = every organization's (admins and compliance only) */
  organizationId?: string;
  state?: ApiKeyState;
  limit?: number;
  /** the id of the last key of the previous page */
  after?: string;
}

export interface ApiKeyPage {
  items: (ApiKeyView & { organizationName: string })[];
  /** pass as `after` for the next page; null on the last page */
  nextCursor: string | null;
}

/** Keys newest first, filtered by organization and state, in pages (the dashboard's list). */
export async function searchApiKeys(
  deps: { db: Database; clock: Clock },
  input: SearchApiKeysInput,
): Promise<ApiKeyPage> {
  const now = deps.clock.now();
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  const keys = await deps.db.apiKey.findMany({
    where: {
      ...(input.organizationId !== undefined ? { organizationId: input.organizationId } : {}),
      ...stateFilter(input.state, now),
    },
    include: { organization: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(input.after ? { cursor: { id: input.after }, skip: 1 } : {}),
  });
  const page = keys.slice(0, limit);
  return {
    items: page.map(({ organization, ...key }) => ({
      ...toApiKeyView(key, now),
      organizationName: organization.name,
    })),
    nextCursor: keys.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

function stateFilter(state: ApiKeyState | undefined, now: Date): Prisma.ApiKeyWhereInput {
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
