import type { Database } from "@dsc/db";
import { type CursorPage, pageQuery, pageSize, toCursorPage } from "../paging/cursor-page.ts";
import type { Clock } from "../time/clock.ts";
import { type ApiKeyState, type ApiKeyView, toApiKeyView } from "./api-key-view.ts";
import { credentialStateFilter } from "./credential-state-filter.ts";

export interface SearchApiKeysInput {
  /** one organization's keys; absent = every organization's (admins and compliance only) */
  organizationId?: string;
  state?: ApiKeyState;
  limit?: number;
  /** the id of the last key of the previous page */
  after?: string;
}

export type ApiKeyPage = CursorPage<ApiKeyView & { organizationName: string }>;

/** Keys newest first, filtered by organization and state, in pages (the dashboard's list). */
export async function searchApiKeys(
  deps: { db: Database; clock: Clock },
  input: SearchApiKeysInput,
): Promise<ApiKeyPage> {
  const now = deps.clock.now();
  const limit = pageSize(input.limit);
  const keys = await deps.db.apiKey.findMany({
    where: {
      ...(input.organizationId !== undefined ? { organizationId: input.organizationId } : {}),
      ...credentialStateFilter(input.state, now),
    },
    include: { organization: { select: { name: true } } },
    ...pageQuery(limit, input.after),
  });
  return toCursorPage(keys, limit, ({ organization, ...key }) => ({
    ...toApiKeyView(key, now),
    organizationName: organization.name,
  }));
}
